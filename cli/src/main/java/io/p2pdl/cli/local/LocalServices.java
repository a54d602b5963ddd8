package io.p2pdl.cli.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service arguments of {@code p2pdl get}'s private cluster: one coordinator bound to loopback with
 * no embedded workers (the worker processes do the fetching), and workers pointed at it. Kept apart
 * from process handling so the exact flags, which the service modules must accept, are unit-tested.
 */
final class LocalServices {

    private LocalServices() {
    }

    /** Arguments of the coordinator. */
    static List<String> coordinatorArgs(int port, Path dataDir, Path stateDir) {
        return List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--state-dir", stateDir.toString(), "--embedded-workers", "0");
    }

    /** Arguments of one worker; {@code concurrency} null means the worker's default. */
    static List<String> workerArgs(int coordinatorPort, Integer concurrency) {
        List<String> args = new ArrayList<>(List.of("--coordinator", "127.0.0.1:" + coordinatorPort,
                "--port", "0", "--bind", "127.0.0.1"));
        if (concurrency != null) {
            args.add("--concurrency");
            args.add(concurrency.toString());
        }
        return args;
    }
}
