package io.p2pdl.coordinator.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordinator's command line, turned into configuration properties set before Quarkus starts
 * (system properties outrank application.properties and the environment, so flags win).
 *
 * @param help whether {@code --help} was given
 * @param properties configuration properties to set
 */
public record CoordinatorArgs(boolean help, Map<String, String> properties) {

    /** Key: the gRPC server's port ({@code --port}). */
    public static final String GRPC_PORT = "quarkus.grpc.server.port";
    /** Key: the gRPC server's listen address ({@code --bind}, which sets {@link #HTTP_HOST} too). */
    public static final String GRPC_HOST = "quarkus.grpc.server.host";
    /** Key: the HTTP port of health and metrics ({@code --http-port}). */
    public static final String HTTP_PORT = "quarkus.http.port";
    /** Key: the HTTP server's listen address. */
    public static final String HTTP_HOST = "quarkus.http.host";
    /** The HTTP port when neither {@code --http-port} nor configuration says otherwise. */
    static final int DEFAULT_HTTP_PORT = 7402;

    /** Printed for {@code --help}. */
    public static final String USAGE = String.join("\n",
            "usage: p2pdl coordinator [--bind ADDR] [--port P] [--http-port P] [--data-dir DIR] [--state-dir DIR]",
            "                         [--embedded-workers N] [--embedded-concurrency N] [--node-name NAME]",
            "                         [--peer HOST:PORT]... [--allow-origin-cidr CIDR]...",
            "                         [--tls-cert FILE --tls-key FILE [--tls-ca FILE] [--tls-server-name NAME]]",
            "  --bind ADDR            address both ports listen on (default 0.0.0.0)",
            "  --port P               gRPC port: workers, admin clients, peers (default 7400; 0 picks a free one)",
            "  --http-port P          health (/q/health) and metrics (/q/metrics) port (default 7402; 0 picks",
            "                         a free one)",
            "  --data-dir DIR         where downloaded files are written (default ./data)",
            "  --state-dir DIR        where download journals are kept (default DATA-DIR/.p2pdl)",
            "  --embedded-workers N   fetch workers inside the coordinator (default 1; 0 disables)",
            "  --embedded-concurrency N  chunks each embedded worker fetches at once (default 2)",
            "  --node-name NAME       coordinator name, prefix of download ids (default: host name)",
            "  --peer HOST:PORT       another coordinator of this installation (repeatable); calls about",
            "                         its downloads are forwarded to it and List includes them",
            "  --allow-origin-cidr CIDR  let origins resolve into this loopback/private range, e.g.",
            "                         10.0.0.0/8 (repeatable; replaces p2pdl.coordinator.origins.allowed-cidrs;",
            "                         link-local and cloud metadata addresses are never fetched)",
            "  --tls-cert FILE        serve TLS only, with this PEM certificate chain (P2PDL_TLS_CERT_FILE)",
            "  --tls-key FILE         the certificate's PEM private key (P2PDL_TLS_KEY_FILE)",
            "  --tls-ca FILE          CA that signs the coordinators' certificates, trusted when calling",
            "                         peers and itself (P2PDL_TLS_CA_FILE; default: the --tls-cert file)",
            "  --tls-server-name NAME name verified in peer certificates instead of their address",
            "                         (P2PDL_TLS_SERVER_NAME)",
            "  --allow-unauthenticated  accept calls without tokens (trusted networks only; by default",
            "                         P2PDL_WORKER_TOKEN and P2PDL_ADMIN_TOKEN are required)",
            "  --help                 print this help");

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--tls-cert", "p2pdl.tls.cert-file"),
            Map.entry("--tls-key", "p2pdl.tls.key-file"),
            Map.entry("--tls-ca", "p2pdl.tls.ca-file"),
            Map.entry("--tls-server-name", "p2pdl.tls.server-name"),
            Map.entry("--bind", GRPC_HOST),
            Map.entry("--port", GRPC_PORT),
            Map.entry("--http-port", HTTP_PORT),
            Map.entry("--data-dir", "p2pdl.coordinator.data-dir"),
            Map.entry("--state-dir", "p2pdl.coordinator.state-dir"),
            Map.entry("--embedded-workers", "p2pdl.coordinator.embedded-workers"),
            Map.entry("--embedded-concurrency", "p2pdl.coordinator.embedded-concurrency"),
            Map.entry("--node-name", "p2pdl.coordinator.node-name"));

    private static final String ALLOWED_CIDRS = io.p2pdl.fetch.origin.OriginAddressPolicy.COORDINATOR_KEY;

    /** A command line that cannot be used; the message says what and why in one line. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    public static CoordinatorArgs parse(String[] args) throws UsageException {
        Map<String, String> props = new LinkedHashMap<>();
        java.util.List<String> peers = new java.util.ArrayList<>();
        java.util.List<String> cidrs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                return new CoordinatorArgs(true, Map.of());
            }
            if (flag.equals("--allow-unauthenticated")) {
                props.put("p2pdl.coordinator.auth.allow-unauthenticated", "true");
                continue;
            }
            String property = flag.equals("--peer") ? "p2pdl.coordinator.peers.addresses"
                    : flag.equals("--allow-origin-cidr") ? ALLOWED_CIDRS : FLAGS.get(flag);
            if (property == null) {
                throw new UsageException("unknown flag " + flag + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                value = args[++i];
            }
            String checked = check(flag, value.trim());
            if (flag.equals("--peer")) {
                peers.add(checked);
            } else if (flag.equals("--allow-origin-cidr")) {
                cidrs.add(checked);
            } else {
                props.put(property, checked);
                if (flag.equals("--bind")) {
                    props.put(HTTP_HOST, checked);
                }
            }
        }
        checkPortsDiffer(props.get(GRPC_PORT), props.get(HTTP_PORT));
        if (!peers.isEmpty()) {
            props.put("p2pdl.coordinator.peers.addresses", String.join(",", peers));
            props.put("p2pdl.coordinator.peers.discovery", "static");
        }
        if (!cidrs.isEmpty()) {
            props.put(ALLOWED_CIDRS, String.join(",", cidrs));
        }
        return new CoordinatorArgs(false, Map.copyOf(props));
    }

    /** gRPC and HTTP need a port each; 0 (a free one) may be given for both. */
    private static void checkPortsDiffer(String grpc, String http) throws UsageException {
        if (grpc == null || grpc.equals("0")) {
            return;
        }
        if (http == null && Integer.parseInt(grpc) == DEFAULT_HTTP_PORT) {
            throw new UsageException("--port " + grpc + " is the default --http-port (health and metrics);"
                    + " give --http-port another port");
        }
        if (grpc.equals(http)) {
            throw new UsageException("--port and --http-port must differ (gRPC and HTTP each need a port), got "
                    + grpc + " for both");
        }
    }

    private static String check(String flag, String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException(flag + " must not be empty");
        }
        switch (flag) {
            case "--port", "--http-port" -> number(flag, value, 0, 65535);
            case "--embedded-workers" -> number(flag, value, 0, 64);
            case "--embedded-concurrency" -> number(flag, value, 1, 256);
            case "--allow-origin-cidr" -> {
                try {
                    return io.p2pdl.fetch.origin.Cidr.parse(value).toString();
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--allow-origin-cidr: " + e.getMessage());
                }
            }
            case "--peer" -> {
                try {
                    io.p2pdl.fetch.discovery.CoordinatorTarget.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--peer " + value + ": " + e.getMessage());
                }
            }
            case "--node-name" -> {
                if (!value.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
                    throw new UsageException("--node-name must be letters, digits, '.' or '-' (at most 63), got '"
                            + value + "'");
                }
            }
            default -> {
                // Paths and addresses are checked when used, with the reason.
            }
        }
        return value;
    }

    private static void number(String flag, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageException(flag + " must be a number from " + min + " to " + max + ", got '" + value + "'");
    }
}
