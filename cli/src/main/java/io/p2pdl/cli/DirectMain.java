package io.p2pdl.cli;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;

/**
 * Runs the CLI without starting Quarkus: same commands, same conventions, the constructor
 * injection done by hand. The launcher uses it for {@code p2pdl get}, whose start-up time is part of
 * the download's (booting the framework costs about 0.7 s of a 6 s download of 2 GiB; get needs
 * none of it). Tests build their command lines the same way ({@link #commandLine(CliEnvironment)}).
 */
public final class DirectMain {

    /** Loggers kept to errors; held here, since java.util.logging keeps only weak references to loggers. */
    private static final List<Logger> QUIETER = List.of(Logger.getLogger("io.grpc"), Logger.getLogger("io.netty"));

    private DirectMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("get")) {
            warmUpTls();
        }
        // As application.properties does for the Quarkus entry point: warnings, and gRPC's and
        // Netty's errors only (their warnings about a coordinator going away are the CLI's to explain).
        Logger.getLogger("").setLevel(Level.WARNING);
        QUIETER.forEach(logger -> logger.setLevel(Level.SEVERE));
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /**
     * Loads the JDK's default TLS context (its CA certificates) on another core while picocli builds
     * the command line: {@code get}'s origin client needs it, also for http URLs, and it costs about
     * 0.2 s of class loading and parsing on one core. {@link SSLContext#getDefault()} is a
     * synchronised singleton, so the client takes this one or waits for it.
     */
    private static void warmUpTls() {
        Thread warmUp = new Thread(() -> {
            try {
                SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                // The origin client reports it when it asks.
            }
        }, "p2pdl-tls-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** The {@code p2pdl} command line whose commands see {@code environment}. */
    public static CommandLine commandLine(CliEnvironment environment) {
        return CommandLineConfigurer.configure(new CommandLine(new P2pdlCommand(), factory(environment)));
    }

    /** Creates commands through their {@code (CliEnvironment)} constructor when they have one. */
    static CommandLine.IFactory factory(CliEnvironment environment) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getConstructor(CliEnvironment.class).newInstance(environment);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
    }
}
