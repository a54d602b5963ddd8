package io.p2pdl.cli.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The service arguments of {@code p2pdl get}'s private cluster: one coordinator bound to loopback whose
 * embedded worker does the fetching (chunk bytes go from the origin to the file inside one process),
 * and optional extra worker processes pointed at it. Kept apart
 * from process handling so the exact flags, which the service modules must accept, are unit-tested.
 *
 * <p>A local download may come from this machine: coordinator and workers allow loopback origins
 * ({@link #LOOPBACK}) besides the user's {@code --allow-origin-cidr} ranges.
 */
final class LocalServices {

    /** Origin ranges {@code get} always allows: this machine. */
    static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private LocalServices() {
    }

    /**
     * Arguments of the coordinator, whose one embedded worker fetches {@code concurrency} chunks at once;
     * {@code allowedCidrs} are the user's extra origin ranges.
     */
    static List<String> coordinatorArgs(int port, Path dataDir, Path stateDir, int concurrency, List<String> allowedCidrs) {
        // Nothing scrapes a private coordinator: its health and metrics port is any free one.
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--http-port", "0", "--data-dir", dataDir.toString(), "--state-dir", stateDir.toString(), "--embedded-workers", "1",
                "--embedded-concurrency", Integer.toString(concurrency)));
        addCidrs(args, allowedCidrs);
        return args;
    }

    /** Arguments of one extra worker process. */
    static List<String> workerArgs(int coordinatorPort, int concurrency, List<String> allowedCidrs) {
        List<String> args = new ArrayList<>(List.of("--coordinator", "127.0.0.1:" + coordinatorPort,
                "--port", "0", "--bind", "127.0.0.1"));
        args.add("--concurrency");
        args.add(Integer.toString(concurrency));
        addCidrs(args, allowedCidrs);
        return args;
    }

    private static void addCidrs(List<String> args, List<String> allowedCidrs) {
        for (String cidr : allowedOrigins(allowedCidrs)) {
            args.add("--allow-origin-cidr");
            args.add(cidr);
        }
    }

    /** The origin ranges a local download allows: {@link #LOOPBACK} and the user's, each once. */
    static List<String> allowedOrigins(List<String> allowedCidrs) {
        return new ArrayList<>(new LinkedHashSet<>(concat(LOOPBACK, allowedCidrs)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
