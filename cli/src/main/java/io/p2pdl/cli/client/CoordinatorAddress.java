package io.p2pdl.cli.client;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;

/**
 * Where the coordinator's admin API listens: {@code HOST:PORT} ({@code [v6addr]:PORT} for IPv6).
 * Resolved from the {@code --coordinator} flag, else {@code P2PDL_COORDINATOR}, else the default.
 *
 * @param host host name or IP literal (without brackets)
 * @param port TCP port
 */
public record CoordinatorAddress(String host, int port) {

    /** Environment variable consulted when {@code --coordinator} is absent. */
    public static final String ENV = "P2PDL_COORDINATOR";
    /** The coordinator's default admin port. */
    public static final int DEFAULT_PORT = 7400;
    /** Used when neither the flag nor the environment names a coordinator. */
    public static final String DEFAULT = "127.0.0.1:" + DEFAULT_PORT;

    /** The address to use given the flag's value (null when the flag was not given). */
    public static CoordinatorAddress resolve(String flag, CliEnvironment environment) {
        if (flag != null && !flag.isBlank()) {
            return parse(flag);
        }
        return environment.variable(ENV).map(CoordinatorAddress::parse).orElseGet(() -> parse(DEFAULT));
    }

    /**
     * Parses {@code HOST:PORT}; a bare host means the default port.
     *
     * @throws CliFailure with {@link ExitCodes#USAGE} when the text is not an address
     */
    public static CoordinatorAddress parse(String text) {
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(text);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw invalid(text); // an unbracketed IPv6 literal is ambiguous
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
            throw invalid(text);
        }
        return new CoordinatorAddress(host, port == null ? DEFAULT_PORT : parsePort(port, text));
    }

    private static int parsePort(String port, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw invalid(text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static CliFailure invalid(String text) {
        return new CliFailure(ExitCodes.USAGE, "invalid coordinator address '" + text + "' (expected HOST:PORT)");
    }

    /** The gRPC target string, e.g. {@code 127.0.0.1:7400} or {@code [::1]:7400}. */
    public String target() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return target();
    }
}
