package io.p2pdl.cli.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service arguments of {@code p2pdl get}'s private cluster: one coordinator bound to loopback whose
 * embedded worker does the fetching (chunk bytes go from the origin to the file inside one process),
 * and optional extra worker processes pointed at it. Kept apart
 * from process handling so the exact flags, which the service modules must accept, are unit-tested.
 */
final class LocalServices {

    private LocalServices() {
    }

    /** Arguments of the coordinator, whose one embedded worker fetches {@code concurrency} chunks at once. */
    static List<String> coordinatorArgs(int port, Path dataDir, Path stateDir, int concurrency) {
        return List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--state-dir", stateDir.toString(), "--embedded-workers", "1",
                "--embedded-concurrency", Integer.toString(concurrency));
    }

    /** Arguments of one extra worker process. */
    static List<String> workerArgs(int coordinatorPort, int concurrency) {
        List<String> args = new ArrayList<>(List.of("--coordinator", "127.0.0.1:" + coordinatorPort,
                "--port", "0", "--bind", "127.0.0.1"));
        args.add("--concurrency");
        args.add(Integer.toString(concurrency));
        return args;
    }
}
