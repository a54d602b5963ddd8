package io.p2pdl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the real coordinator, workers and CLI of one test as child JVMs, each logging to
 * {@code <test dir>/logs/<name>.log}, and kills every one of them in {@link #close()}.
 */
public final class Services implements AutoCloseable {

    /** Heap and GC of the coordinator children (two cores are shared by everything). */
    public static final List<String> COORDINATOR_JVM = List.of("-Xmx192m", "-XX:+UseSerialGC");
    /**
     * The scenarios (faults after N requests, crash points, chunks in flight) were written for 1 MiB
     * chunks, the default until the WAN benchmark moved it to 4 MiB; coordinators started here keep
     * 1 MiB unless a test submits another size.
     */
    static final String CHUNK_SIZE_1M = "-Dp2pdl.coordinator.chunk-size=1M";
    /** Heap and GC of worker children. */
    public static final List<String> WORKER_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC");
    /** The CLI child: the launcher's options ({@code ./p2pdl}), a short-lived JVM that starts fast. */
    public static final List<String> CLI_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /**
     * The test origin listens on loopback, which the SSRF guard refuses by default: every
     * coordinator and worker started here allows it (a test wanting the default passes its own flags).
     */
    public static final List<String> ALLOW_LOOPBACK_ORIGINS = List.of("--allow-origin-cidr", "127.0.0.0/8");
    /** JVM start plus Quarkus boot on a loaded two-core machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path logs;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    /** Each coordinator's health and metrics port, by its gRPC port (the one tests name it by). */
    private final Map<Integer, Integer> httpPorts = new HashMap<>();

    /** Services of the test whose directory is {@code dir}. */
    public Services(Path dir) {
        this.dir = dir;
        this.logs = dir.resolve("logs");
    }

    /**
     * Starts a coordinator on loopback {@code port} with no embedded workers and waits until it is
     * ready.
     *
     * @param systemProperties extra {@code -Dkey=value} options, placed before {@code -jar}
     */
    public ServiceProcess coordinator(int port, Path dataDir, Path stateDir, String... systemProperties) {
        return coordinator("e2e", port, dataDir, stateDir, List.of(), systemProperties);
    }

    /**
     * Starts a coordinator named {@code nodeName} (the prefix of its download ids) with extra
     * command-line flags such as {@code --peer HOST:PORT}; waits until it is ready.
     */
    public ServiceProcess coordinator(String nodeName, int port, Path dataDir, Path stateDir, List<String> flags,
            String... systemProperties) {
        int bind = flags.indexOf("--bind");
        String host = bind >= 0 && bind + 1 < flags.size() ? flags.get(bind + 1) : "127.0.0.1";
        return startCoordinator(nodeName, port, dataDir, stateDir, flags, systemProperties)
                .awaitReady(host, httpPort(port), START_TIMEOUT);
    }

    /**
     * The health and metrics port of the coordinator last started here with gRPC port {@code port}.
     */
    public int httpPort(int port) {
        Integer http = httpPorts.get(port);
        if (http == null) {
            throw new IllegalArgumentException("no coordinator with gRPC port " + port + " was started here");
        }
        return http;
    }

    /**
     * Starts a coordinator serving TLS only (its flags give {@code --tls-cert} and {@code --tls-key})
     * and waits until {@code https://127.0.0.1:PORT/q/health/ready}, checked with {@code https},
     * answers 200.
     */
    public ServiceProcess tlsCoordinator(String nodeName, int port, Path dataDir, Path stateDir, List<String> flags,
            java.net.http.HttpClient https, String... systemProperties) {
        return startCoordinator(nodeName, port, dataDir, stateDir, flags, systemProperties)
                .awaitReadyHttps(httpPort(port), START_TIMEOUT, https);
    }

    /**
     * Starts a coordinator without waiting for it (e.g. one expected to refuse its command line); it
     * allows loopback origins ({@link #ALLOW_LOOPBACK_ORIGINS}) before {@code flags}. gRPC listens on
     * {@code port}, health and metrics on a free port ({@link #httpPort}).
     */
    public ServiceProcess startCoordinator(String nodeName, int port, Path dataDir, Path stateDir, List<String> flags,
            String... systemProperties) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ServiceJars.java());
        cmd.addAll(COORDINATOR_JVM);
        cmd.add(CHUNK_SIZE_1M);
        cmd.addAll(List.of(systemProperties));
        cmd.addAll(List.of("-jar", ServiceJars.coordinator().toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--http-port", Integer.toString(httpPorts.computeIfAbsent(port, p -> FreePorts.next())),
                "--data-dir", dataDir.toString(), "--state-dir", stateDir.toString(),
                "--embedded-workers", "0", "--node-name", nodeName));
        cmd.addAll(ALLOW_LOOPBACK_ORIGINS);
        cmd.addAll(flags);
        return start(unique("coordinator"), cmd);
    }

    /**
     * Starts a worker with {@code flags} (after the standard ones and {@link #ALLOW_LOOPBACK_ORIGINS})
     * without waiting for it.
     */
    public ServiceProcess startWorker(List<String> flags, int concurrency) {
        String name = unique("worker");
        return start(name, workerCommand(List.of(), name, FreePorts.next(), concurrency, plus(ALLOW_LOOPBACK_ORIGINS, flags)));
    }

    /** Starts a worker serving the coordinator on loopback {@code coordinatorPort}; waits until ready. */
    public ServiceProcess worker(int coordinatorPort, int concurrency) {
        return worker(coordinatorPort, concurrency, ALLOW_LOOPBACK_ORIGINS);
    }

    /**
     * Starts a worker serving the coordinator on loopback {@code coordinatorPort} with {@code originFlags}
     * instead of {@link #ALLOW_LOOPBACK_ORIGINS} (empty: the default origin policy); waits until ready.
     */
    public ServiceProcess worker(int coordinatorPort, int concurrency, List<String> originFlags) {
        String name = unique("worker");
        int port = FreePorts.next();
        return start(name, workerCommand(List.of(), name, port, concurrency,
                plus(List.of("--coordinator", "127.0.0.1:" + coordinatorPort), originFlags)))
                .awaitReady(port, START_TIMEOUT);
    }

    /**
     * Starts a worker with its own discovery flags (e.g. {@code --discovery kubernetes ...}) and JVM
     * system properties; waits until it is ready, i.e. until it knows at least one coordinator.
     */
    public ServiceProcess worker(List<String> discoveryFlags, int concurrency, String... systemProperties) {
        String name = unique("worker");
        int port = FreePorts.next();
        return start(name, workerCommand(List.of(), name, port, concurrency, plus(ALLOW_LOOPBACK_ORIGINS, discoveryFlags),
                systemProperties)).awaitReady(port, START_TIMEOUT);
    }

    /**
     * Starts a worker under {@code commandPrefix} (e.g. {@code ip netns exec NS}) serving the
     * coordinator at {@code coordinator} ({@code host:port}), with extra system properties. Does
     * not wait for readiness: its health port may not be reachable from here.
     */
    public ServiceProcess workerUnder(List<String> commandPrefix, String coordinator, int concurrency,
            String... systemProperties) {
        return workerUnder(commandPrefix, coordinator, concurrency, List.of(), systemProperties);
    }

    /** As above, with extra flags after the loopback allow-list (e.g. more {@code --allow-origin-cidr}). */
    public ServiceProcess workerUnder(List<String> commandPrefix, String coordinator, int concurrency,
            List<String> flags, String... systemProperties) {
        String name = unique("worker");
        return start(name, workerCommand(commandPrefix, name, FreePorts.next(), concurrency,
                plus(plus(List.of("--coordinator", coordinator), ALLOW_LOOPBACK_ORIGINS), flags), systemProperties));
    }

    /** The command line of a worker on loopback {@code port}: prefix, JVM, properties, standard flags, then {@code flags}. */
    private static List<String> workerCommand(List<String> prefix, String name, int port, int concurrency,
            List<String> flags, String... systemProperties) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ServiceJars.java());
        cmd.addAll(WORKER_JVM);
        cmd.addAll(List.of(systemProperties));
        cmd.addAll(List.of("-jar", ServiceJars.worker().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--concurrency", Integer.toString(concurrency), "--id", name));
        cmd.addAll(flags);
        return cmd;
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Runs {@code p2pdl ARGS} in {@code workDir} to its end (stdin closed, output not a terminal), with
     * {@code p2pdl.home} pointing at the repository so {@code get} finds the service jars.
     */
    public CliResult cli(Path workDir, Duration timeout, String... args) {
        String name = unique("cli");
        List<String> cmd = new ArrayList<>();
        cmd.add(ServiceJars.java());
        cmd.addAll(CLI_JVM);
        cmd.add("-Dp2pdl.home=" + ServiceJars.root());
        cmd.addAll(List.of("-jar", ServiceJars.cli().toString()));
        cmd.addAll(List.of(args));
        return runToEnd(name, cmd, workDir, timeout);
    }

    /**
     * Runs the repository's {@code p2pdl} launcher script with {@code ARGS} in {@code workDir} to its
     * end: the JVM options and entry point a user gets (its {@code P2PDL_*_JAVA_OPTS} come from this
     * process's environment, unset in CI).
     */
    public CliResult launcher(Path workDir, Duration timeout, String... args) {
        String name = unique("launcher");
        List<String> cmd = new ArrayList<>(List.of("bash", ServiceJars.root().resolve("p2pdl").toString()));
        cmd.addAll(List.of(args));
        return runToEnd(name, cmd, workDir, timeout);
    }

    /** Runs {@code cmd} in {@code workDir} until it exits, its stdout and stderr kept in the logs as {@code name}. */
    private CliResult runToEnd(String name, List<String> cmd, Path workDir, Duration timeout) {
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ServiceProcess process = track(ServiceProcess.start(name, cmd, workDir, out, err));
        int code = process.awaitExit(timeout);
        return new CliResult(code, read(out), read(err));
    }

    private ServiceProcess start(String name, List<String> cmd) {
        return track(ServiceProcess.start(name, cmd, dir, logs.resolve(name + ".log"), null));
    }

    private synchronized ServiceProcess track(ServiceProcess p) {
        started.add(p);
        return p;
    }

    private synchronized String unique(String base) {
        int n = names.merge(base, 1, Integer::sum);
        return base + "-" + n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills every child still running, hard: no assertion depends on a clean stop. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
