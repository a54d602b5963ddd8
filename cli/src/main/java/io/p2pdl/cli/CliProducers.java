package io.p2pdl.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import picocli.CommandLine;

/** Wires the CLI into Quarkus: the real environment and a command line with the CLI's conventions. */
@ApplicationScoped
public class CliProducers {

    @Produces
    @Singleton
    CliEnvironment environment() {
        return CliEnvironment.system();
    }

    @Produces
    @Singleton
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return CommandLineConfigurer.configure(factory.create());
    }
}
