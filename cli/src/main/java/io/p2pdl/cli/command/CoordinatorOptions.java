package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.fetch.tls.ClientTls;
import picocli.CommandLine.Option;

/**
 * The {@code --coordinator HOST:PORT} and TLS options shared by every command that talks to a
 * coordinator.
 */
public class CoordinatorOptions {

    @Option(names = "--coordinator", paramLabel = "HOST:PORT",
            description = "Coordinator admin address (default: $P2PDL_COORDINATOR, else " + CoordinatorAddress.DEFAULT + ").")
    String coordinator;

    @Option(names = "--tls", description = "Connect over TLS, trusting the system CAs ($P2PDL_TLS_ENABLED=true).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS, trusting the CA certificates in this PEM file ($P2PDL_TLS_CA_FILE).")
    String tlsCa;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "Name the coordinator's certificate must carry, instead of HOST ($P2PDL_TLS_SERVER_NAME).")
    String tlsServerName;

    /** Opens a client to the chosen coordinator; close it when done. */
    public CoordinatorClient connect(CliEnvironment environment) {
        return new CoordinatorClient(CoordinatorAddress.resolve(coordinator, environment), adminToken(environment),
                clientTls(environment));
    }

    /**
     * Plaintext, or TLS from the flags, else from {@code P2PDL_TLS_ENABLED},
     * {@code P2PDL_TLS_CA_FILE} and {@code P2PDL_TLS_SERVER_NAME}. A bad file is a usage error.
     */
    ClientTls clientTls(CliEnvironment environment) {
        java.util.function.Function<String, java.util.Optional<String>> env = ClientTls.environment(
                name -> environment.variable(name).orElse(null));
        java.util.Map<String, String> flags = new java.util.HashMap<>();
        if (tls) {
            flags.put(ClientTls.ENABLED, "true");
        }
        if (tlsCa != null) {
            flags.put(ClientTls.CA_FILE, tlsCa);
        }
        if (tlsServerName != null) {
            flags.put(ClientTls.SERVER_NAME, tlsServerName);
        }
        try {
            return ClientTls.fromConfig(key -> java.util.Optional.ofNullable(flags.get(key)).or(() -> env.apply(key)));
        } catch (IllegalArgumentException e) {
            throw new io.p2pdl.cli.CliFailure(io.p2pdl.cli.ExitCodes.USAGE, e.getMessage());
        }
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
