package io.p2pdl.worker;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: turns the command line into configuration, then runs Quarkus until SIGTERM.
 * A bad command line prints one line to stderr and exits with status 2.
 */
@QuarkusMain
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String... args) {
        WorkerArgs parsed;
        try {
            parsed = WorkerArgs.parse(args, System::getProperty, System::getenv);
        } catch (WorkerArgs.UsageException e) {
            System.err.println("p2pdl worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(WorkerArgs.USAGE);
            return;
        }
        // System properties outrank application.properties and environment variables in
        // MicroProfile Config, so flags win.
        parsed.properties().forEach(System::setProperty);
        try {
            // Checked now so a bad CA file is one line, not a failed start-up's stack trace.
            io.p2pdl.fetch.tls.ClientTls.fromConfig(WorkerMain::systemLookup);
        } catch (IllegalArgumentException e) {
            System.err.println("p2pdl worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        Quarkus.run(args);
    }

    /** System property, else environment variable, as Quarkus will look them up. */
    private static java.util.Optional<String> systemLookup(String key) {
        return java.util.Optional.ofNullable(System.getProperty(key)).filter(v -> !v.isBlank())
                .or(() -> java.util.Optional.ofNullable(System.getenv(io.p2pdl.fetch.tls.ClientTls.envName(key)))
                        .filter(v -> !v.isBlank()));
    }
}
