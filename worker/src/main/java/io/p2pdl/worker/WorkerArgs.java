package io.p2pdl.worker;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The worker's command line, turned into the configuration properties Quarkus reads. Flags win
 * over configuration; without {@code --coordinator}, coordinators must come from
 * {@code p2pdl.worker.coordinators} (system property) or {@code P2PDL_WORKER_COORDINATORS}.
 *
 * @param help whether {@code --help} was given
 * @param properties configuration properties to set before Quarkus starts
 */
public record WorkerArgs(boolean help, Map<String, String> properties) {

    /** Printed for {@code --help}. */
    public static final String USAGE = String.join("\n",
            "usage: p2pdl-worker [--coordinator HOST:PORT]... [--concurrency N] [--port P] [--bind ADDR] [--id NAME]",
            "  --coordinator HOST:PORT  coordinator to serve (repeatable; [v6addr]:port for IPv6)",
            "  --concurrency N          chunks fetched at the same time (default 4)",
            "  --port P                 health and metrics HTTP port (default 7401; 0 picks a free one)",
            "  --bind ADDR              address the HTTP port listens on (default 0.0.0.0)",
            "  --id NAME                worker identity (default: host name plus a random suffix)",
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
            if (!List.of("--coordinator", "--concurrency", "--port", "--bind", "--id").contains(flag)) {
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
                case "--concurrency" -> props.put("p2pdl.worker.concurrency",
                        Integer.toString(number(flag, value, 1, 1024)));
                case "--port" -> props.put("quarkus.http.port", Integer.toString(number(flag, value, 0, 65535)));
                case "--bind" -> props.put("quarkus.http.host", nonBlank(flag, value));
                case "--id" -> props.put("p2pdl.worker.id", nonBlank(flag, value));
                default -> throw new IllegalStateException(flag);
            }
        }
        if (!coordinators.isEmpty()) {
            props.put("p2pdl.worker.coordinators", String.join(",", coordinators));
        } else if (blank(systemProperty.apply("p2pdl.worker.coordinators"))
                && blank(env.apply("P2PDL_WORKER_COORDINATORS"))) {
            throw new UsageException("no coordinator given: use --coordinator HOST:PORT"
                    + " or set P2PDL_WORKER_COORDINATORS");
        }
        return new WorkerArgs(false, Map.copyOf(props));
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
