package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.client.CoordinatorClient;
import picocli.CommandLine.Option;

/** The {@code --coordinator HOST:PORT} option shared by every command that talks to a coordinator. */
public class CoordinatorOptions {

    @Option(names = "--coordinator", paramLabel = "HOST:PORT",
            description = "Coordinator admin address (default: $P2PDL_COORDINATOR, else " + CoordinatorAddress.DEFAULT + ").")
    String coordinator;

    /** Opens a client to the chosen coordinator; close it when done. */
    public CoordinatorClient connect(CliEnvironment environment) {
        return new CoordinatorClient(CoordinatorAddress.resolve(coordinator, environment));
    }
}
