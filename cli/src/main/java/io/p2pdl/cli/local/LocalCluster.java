package io.p2pdl.cli.local;

import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.cli.client.DownloadsApi;
import io.p2pdl.cli.process.ChildProcess;
import io.p2pdl.cli.process.JavaCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The private coordinator (and optional extra workers) of one {@code p2pdl get}, as child JVMs logging into the state
 * directory. {@link #stop()} is idempotent and safe from a shutdown hook, so Ctrl-C never leaves
 * orphan services behind.
 */
final class LocalCluster implements LocalCoordinator {

    /** How long children get to persist their state after SIGTERM before they are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** How often readiness is polled while the coordinator starts: it is a local connect. */
    private static final long READY_POLL_MILLIS = 20;

    private final int port;
    /** Fresh tokens per run: the private cluster is authenticated like any other. */
    private final String workerToken = randomToken();
    private final String adminToken = randomToken();
    private final List<ChildProcess> children = new ArrayList<>();
    private final CoordinatorClient client;
    private boolean stopped;

    private LocalCluster(int port) {
        this.port = port;
        this.client = new CoordinatorClient(new CoordinatorAddress("127.0.0.1", port), Optional.of(adminToken));
    }

    @Override
    public DownloadsApi api() {
        return client;
    }

    /**
     * Starts the coordinator (fetching {@code concurrency} chunks at once itself) and {@code workers}
     * extra worker processes with the same concurrency.
     *
     * @param coordinator the coordinator's jar and JVM options
     * @param worker      the worker's jar and JVM options
     */
    static LocalCluster start(Launch coordinator, Launch worker, OutputTarget target, int workers, int concurrency,
            List<String> allowedCidrs) throws IOException {
        LocalCluster cluster = new LocalCluster(freeLoopbackPort());
        Path stateDir = target.stateDir();
        try {
            cluster.add(ChildProcess.start("coordinator", JavaCommand.of(coordinator.opts(), coordinator.jar(),
                    LocalServices.coordinatorArgs(cluster.port, target.directory(), stateDir, concurrency, allowedCidrs)),
                    stateDir.resolve("coordinator.log"),
                    Map.of("P2PDL_WORKER_TOKEN", cluster.workerToken, "P2PDL_ADMIN_TOKEN", cluster.adminToken),
                    LocalCluster::inheritedTls));
            for (int i = 1; i <= workers; i++) {
                cluster.add(ChildProcess.start("worker-" + i, JavaCommand.of(worker.opts(), worker.jar(),
                        LocalServices.workerArgs(cluster.port, concurrency, allowedCidrs)),
                        stateDir.resolve("worker-" + i + ".log"),
                        Map.of("P2PDL_WORKER_TOKEN", cluster.workerToken), LocalCluster::inheritedTls));
            }
        } catch (IOException | RuntimeException e) {
            cluster.stop();
            throw e;
        }
        return cluster;
    }

    /**
     * A runnable jar and its JVM options.
     *
     * @param jar  the {@code quarkus-run.jar}
     * @param opts JVM options, split on whitespace
     */
    record Launch(Path jar, String opts) {
    }

    /**
     * TLS settings of the surrounding environment ({@code P2PDL_TLS_*}, meant for an installation's
     * coordinators) are not passed on: this private cluster talks plaintext over loopback only.
     */
    static boolean inheritedTls(String variable) {
        return variable.startsWith("P2PDL_TLS_");
    }

    private synchronized void add(ChildProcess child) {
        children.add(child);
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Waits until the coordinator answers {@code List}.
     *
     * @throws CliFailure when a child exits first or {@code timeout} passes
     */
    @Override
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            failIfAnyDied();
            // A plain connect is cheap, so poll often; gRPC is asked only once the port is open.
            if (accepts(port)) {
                try {
                    client.retryConnectingNow();
                    client.list();
                    return;
                } catch (CliFailure e) {
                    if (e.exitCode() != ExitCodes.UNREACHABLE) {
                        throw e;
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CliFailure(ExitCodes.FAILED, "the local coordinator did not answer within "
                        + timeout.toSeconds() + "s" + lastLine(children.get(0)));
            }
            Thread.sleep(READY_POLL_MILLIS);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws when a child has exited, naming it and quoting its last log line. */
    @Override
    public void failIfAnyDied() {
        Optional<ChildProcess> dead = firstDead();
        if (dead.isPresent()) {
            ChildProcess child = dead.get();
            throw new CliFailure(ExitCodes.FAILED, "the local " + child.name() + " exited with code "
                    + child.exitValue() + lastLine(child));
        }
    }

    private synchronized Optional<ChildProcess> firstDead() {
        return children.stream().filter(c -> !c.isAlive()).findFirst();
    }

    private static String lastLine(ChildProcess child) {
        return child.lastLogLine().map(line -> ": " + line).orElse("");
    }

    /** Stops every child: SIGTERM to all at once, then up to {@link #STOP_GRACE} each before a kill. */
    @Override
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        client.close();
        // Workers first in the same signal round: they release their leases while the coordinator still listens.
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).requestStop();
        }
        for (ChildProcess child : children) {
            child.awaitStop(STOP_GRACE);
        }
    }

    /** A port that was free a moment ago on loopback, for the coordinator to bind. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
