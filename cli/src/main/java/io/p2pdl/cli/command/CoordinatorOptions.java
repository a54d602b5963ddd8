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
        return new CoordinatorClient(CoordinatorAddress.resolve(coordinator, environment), adminToken(environment));
    }

    /**
     * The admin token from {@code P2PDL_ADMIN_TOKEN}, else from the file named by
     * {@code P2PDL_ADMIN_TOKEN_FILE} (a mounted Secret); empty when neither is set.
     */
    static java.util.Optional<String> adminToken(CliEnvironment environment) {
        try {
            return io.p2pdl.fetch.auth.BearerTokens.load(environment.variable("P2PDL_ADMIN_TOKEN"),
                    environment.variable("P2PDL_ADMIN_TOKEN_FILE").filter(f -> !f.isBlank()).map(java.nio.file.Path::of));
        } catch (IllegalArgumentException e) {
            throw new io.p2pdl.cli.CliFailure(io.p2pdl.cli.ExitCodes.USAGE, e.getMessage());
        }
    }
}
