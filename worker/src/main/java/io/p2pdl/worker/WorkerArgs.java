package io.p2pdl.worker;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.worker.discovery.DiscoveryMode;
import io.p2pdl.worker.discovery.DiscoveryModeChoice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The worker's command line, turned into the configuration properties Quarkus reads. Flags win
 * over configuration. In static discovery, coordinators must come from {@code --coordinator},
 * {@code p2pdl.worker.coordinators} (system property) or {@code P2PDL_WORKER_COORDINATORS};
 * kubernetes discovery finds them at run time, so no coordinator is required up front.
 *
 * @param help whether {@code --help} was given
 * @param properties configuration properties to set before Quarkus starts
 */
public record WorkerArgs(boolean help, Map<String, String> properties) {

    /** Printed for {@code --help}. */
    public static final String USAGE = String.join("\n",
            "usage: p2pdl-worker [--coordinator HOST:PORT]... [--discovery static|kubernetes] [--selector SEL]",
            "                    [--namespace NS] [--concurrency N] [--port P] [--bind ADDR] [--id NAME]",
            "                    [--allow-origin-cidr CIDR]...",
            "                    [--tls | --tls-ca FILE] [--tls-server-name NAME]",
            "  --coordinator HOST:PORT  coordinator to serve (repeatable; [v6addr]:port for IPv6; static discovery)",
            "  --discovery MODE         static or kubernetes (default: kubernetes inside a pod without",
            "                           --coordinator, else static)",
            "  --selector SEL           label selector of coordinator pods (kubernetes discovery;",
            "                           default app.kubernetes.io/component=coordinator)",
            "  --namespace NS           namespace of coordinator pods (kubernetes discovery; default: own)",
            "  --concurrency N          chunks fetched at the same time (default 2)",
            "  --port P                 health and metrics HTTP port (default 7401; 0 picks a free one)",
            "  --bind ADDR              address the HTTP port listens on (default 0.0.0.0)",
            "  --id NAME                worker identity (default: host name plus a random suffix)",
            "  --allow-origin-cidr CIDR origins may resolve into this loopback/private range, e.g. 10.0.0.0/8",
            "                           (repeatable; replaces p2pdl.worker.origins.allowed-cidrs; link-local",
            "                           and cloud metadata addresses are never fetched)",
            "  --tls                    call coordinators over TLS, trusting the system CAs (P2PDL_TLS_ENABLED)",
            "  --tls-ca FILE            call coordinators over TLS, trusting the CAs in this PEM file",
            "                           (P2PDL_TLS_CA_FILE)",
            "  --tls-server-name NAME   name verified in coordinator certificates instead of their address,",
            "                           e.g. p2pdl-coordinator.p2pdl.svc (P2PDL_TLS_SERVER_NAME)",
            "  --help                   print this help");

    /** A command line that cannot be used; the message is one line saying what and why. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses {@code args}.
     *
     * @param systemProperty looks up a system property (null when unset)
     * @param env looks up an environment variable (null when unset)
     */
    public static WorkerArgs parse(String[] args, UnaryOperator<String> systemProperty, UnaryOperator<String> env)
            throws UsageException {
        Map<String, String> props = new LinkedHashMap<>();
        List<String> coordinators = new ArrayList<>();
        List<String> kubernetesFlags = new ArrayList<>();
        List<String> cidrs = new ArrayList<>();
        DiscoveryMode mode = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                return new WorkerArgs(true, Map.of());
            }
            if (flag.equals("--tls") && inline == null) {
                props.put("p2pdl.tls.enabled", "true");
                continue;
            }
            if (!List.of("--coordinator", "--discovery", "--selector", "--namespace", "--concurrency", "--port",
                    "--bind", "--id", "--allow-origin-cidr", "--tls-ca", "--tls-server-name").contains(flag)) {
                throw new UsageException("unknown flag " + flag + " (see --help)");
            }
            String value = inline;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--coordinator" -> coordinators.add(target(value).toString());
                case "--discovery" -> mode = discoveryMode(flag, value);
                case "--selector" -> {
                    props.put("p2pdl.worker.kubernetes.selector", nonBlank(flag, value));
                    kubernetesFlags.add(flag);
                }
                case "--namespace" -> {
                    props.put("p2pdl.worker.kubernetes.namespace", nonBlank(flag, value));
                    kubernetesFlags.add(flag);
                }
                case "--concurrency" -> props.put("p2pdl.worker.concurrency",
                        Integer.toString(number(flag, value, 1, 1024)));
                case "--port" -> props.put("quarkus.http.port", Integer.toString(number(flag, value, 0, 65535)));
                case "--bind" -> props.put("quarkus.http.host", nonBlank(flag, value));
                case "--id" -> props.put("p2pdl.worker.id", nonBlank(flag, value));
                case "--allow-origin-cidr" -> cidrs.add(cidr(value));
                case "--tls-ca" -> props.put("p2pdl.tls.ca-file", nonBlank(flag, value));
                case "--tls-server-name" -> props.put("p2pdl.tls.server-name", nonBlank(flag, value));
                default -> throw new IllegalStateException(flag);
            }
        }
        checkDiscovery(mode, coordinators, kubernetesFlags, props, systemProperty, env);
        if (!cidrs.isEmpty()) {
            props.put(io.p2pdl.fetch.origin.OriginAddressPolicy.WORKER_KEY, String.join(",", cidrs));
        }
        return new WorkerArgs(false, Map.copyOf(props));
    }

    /**
     * Checks the flags against the discovery mode in effect (flag, else configuration, else the
     * environment's default) and records the mode and coordinators given as flags.
     */
    private static void checkDiscovery(DiscoveryMode flagMode, List<String> coordinators, List<String> kubernetesFlags,
            Map<String, String> props, UnaryOperator<String> systemProperty, UnaryOperator<String> env)
            throws UsageException {
        Optional<DiscoveryMode> mode = Optional.ofNullable(flagMode);
        if (flagMode != null) {
            props.put("p2pdl.worker.discovery", flagMode.configValue());
        } else {
            mode = configuredMode(systemProperty, env);
        }
        boolean staticCoordinators = !coordinators.isEmpty()
                || !blank(systemProperty.apply("p2pdl.worker.coordinators"))
                || !blank(env.apply("P2PDL_WORKER_COORDINATORS"));
        DiscoveryMode effective = DiscoveryModeChoice.choose(mode, staticCoordinators, env);
        if (effective == DiscoveryMode.KUBERNETES && !coordinators.isEmpty()) {
            throw new UsageException("--coordinator is for static discovery; drop it or use --discovery static");
        }
        if (effective == DiscoveryMode.STATIC && !kubernetesFlags.isEmpty()) {
            throw new UsageException(kubernetesFlags.get(0) + " needs --discovery kubernetes");
        }
        if (effective == DiscoveryMode.STATIC && !staticCoordinators) {
            throw new UsageException("no coordinator given: use --coordinator HOST:PORT, set P2PDL_WORKER_COORDINATORS"
                    + " or use --discovery kubernetes");
        }
        if (!coordinators.isEmpty()) {
            props.put("p2pdl.worker.coordinators", String.join(",", coordinators));
        }
    }

    private static DiscoveryMode discoveryMode(String source, String value) throws UsageException {
        try {
            return DiscoveryMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + ": " + e.getMessage());
        }
    }

    /** The mode set outside the command line; system properties outrank the environment, as in Quarkus. */
    private static Optional<DiscoveryMode> configuredMode(UnaryOperator<String> systemProperty,
            UnaryOperator<String> env) throws UsageException {
        String sys = systemProperty.apply("p2pdl.worker.discovery");
        if (!blank(sys)) {
            return Optional.of(discoveryMode("p2pdl.worker.discovery", sys));
        }
        String fromEnv = env.apply("P2PDL_WORKER_DISCOVERY");
        if (!blank(fromEnv)) {
            return Optional.of(discoveryMode("P2PDL_WORKER_DISCOVERY", fromEnv));
        }
        return Optional.empty();
    }

    private static String cidr(String value) throws UsageException {
        try {
            return io.p2pdl.fetch.origin.Cidr.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow-origin-cidr: " + e.getMessage());
        }
    }

    private static CoordinatorTarget target(String value) throws UsageException {
        try {
            return CoordinatorTarget.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--coordinator " + value + ": " + e.getMessage());
        }
    }

    private static int number(String flag, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageException(flag + " must be a number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String nonBlank(String flag, String value) throws UsageException {
        if (blank(value)) {
            throw new UsageException(flag + " must not be empty");
        }
        return value.trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
