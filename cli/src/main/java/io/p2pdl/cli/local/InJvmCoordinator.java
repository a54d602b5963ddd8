package io.p2pdl.cli.local;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.client.DownloadsApi;
import io.p2pdl.cli.client.GrpcFailures;
import io.p2pdl.coordinator.download.CoordinatorSettings;
import io.p2pdl.coordinator.download.CoreDefaults;
import io.p2pdl.coordinator.download.DownloadException;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.EmbeddedFetch;
import io.p2pdl.coordinator.download.GrpcStatuses;
import io.p2pdl.coordinator.download.WatchPacer;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.SubmitRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@code p2pdl get}'s coordinator when no extra worker processes are wanted: the coordinator's core
 * (probe, plan, leases, journal, verification) and one embedded fetch engine run inside the CLI's
 * own JVM, with the defaults of the coordinator service, so there is no second JVM to start, no
 * port and no gRPC. Chunk bytes go from the origin socket to the file in one thread. The state
 * directory and its journal are the same as the coordinator service's, so a run interrupted here
 * resumes with {@code --workers N} and the other way round. The core logs into
 * {@code <state dir>/coordinator.log}, never onto the progress line.
 */
final class InJvmCoordinator implements LocalCoordinator, DownloadsApi {

    /** Node name of the in-process core: the prefix of new download ids. */
    static final String NODE_NAME = "local";
    /** The loggers of the core and the fetch engine, sent to the state directory's log. */
    private static final List<String> LOGGED_CATEGORIES = List.of("io.p2pdl.coordinator", "io.p2pdl.fetch");
    /** Shown where a message names the coordinator it talked to. */
    private static final CoordinatorAddress ADDRESS = new CoordinatorAddress("in-process", 0);

    private final DownloadService service;
    private final List<FetchEngine> engines;
    private final Handler log;
    /** The selector thread of this coordinator's HttpClient, ended by {@link #stop()}. */
    private final Set<Thread> httpSelector;
    private boolean stopped;

    private InJvmCoordinator(DownloadService service, List<FetchEngine> engines, Handler log, Set<Thread> httpSelector) {
        this.service = service;
        this.engines = engines;
        this.log = log;
        this.httpSelector = httpSelector;
    }

    /**
     * Opens the state directory (recovering an earlier run's downloads) and starts fetching with
     * {@code concurrency} slots; origins on loopback and in {@code allowedCidrs} are allowed.
     *
     * @throws CliFailure when the state directory cannot be opened
     */
    static InJvmCoordinator start(OutputTarget target, int concurrency, List<String> allowedCidrs) throws IOException {
        Handler log = logInto(target.stateDir().resolve("coordinator.log"));
        try {
            List<String> cidrs = LocalServices.allowedOrigins(allowedCidrs);
            OriginAddressPolicy policy = OriginAddressPolicy.parse(cidrs, OriginAddressPolicy.COORDINATOR_KEY);
            UrlRedactor redactor = UrlRedactor.DEFAULT;
            Set<Thread> before = httpSelectors();
            HttpClient http = OriginHttp.newClient(OriginHttpOptions.defaults());
            Set<Thread> selectors = httpSelectors();
            selectors.removeAll(before);
            CoordinatorSettings settings = CoreDefaults.settings(target.directory(), target.stateDir(), NODE_NAME,
                    redactor).withDefaultChunkSize(CoreDefaults.size(CoreDefaults.LOCAL_CHUNK_SIZE));
            RedirectingClient client = new RedirectingClient(http, CoreDefaults.duration(CoreDefaults.PROBE_TIMEOUT),
                    policy, redactor);
            DownloadService service = new DownloadService(settings, new OriginProber(client,
                    Integer.parseInt(CoreDefaults.PROBE_ATTEMPTS), CoreDefaults.PROBE_RETRY_DELAY), client);
            service.start();
            List<FetchEngine> engines = EmbeddedFetch.start(service, 1, concurrency, NODE_NAME, http, policy, redactor);
            return new InJvmCoordinator(service, engines, log, selectors);
        } catch (IOException | RuntimeException e) {
            closeLog(log);
            throw new CliFailure(ExitCodes.FAILED, "cannot open the state directory " + target.stateDir() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public DownloadsApi api() {
        return this;
    }

    @Override
    public void awaitReady(Duration timeout) {
        // Ready as soon as it is built.
    }

    @Override
    public void failIfAnyDied() {
        // Nothing runs apart from this process.
    }

    /** Stops fetching (chunks in flight are leased again next run) and closes the journal. Idempotent. */
    @Override
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        engines.forEach(FetchEngine::stop);
        service.close();
        closeLog(log);
        // JDK 17's HttpClient has no close(); its selector thread leaves its loop when interrupted. A
        // thread blocked in native code at System.exit makes the JVM wait 300 ms for it, a tenth of a
        // small download's whole time. Nothing uses the client after the engine and service stopped.
        httpSelector.forEach(Thread::interrupt);
    }

    /** The JDK HttpClient selector threads alive now. */
    private static Set<Thread> httpSelectors() {
        Set<Thread> found = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                found.add(t);
            }
        }
        return found;
    }

    // ---- DownloadsApi ---------------------------------------------------------------------

    @Override
    public Download submit(SubmitRequest request) {
        return call("submit", () -> {
            try {
                return service.submit(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCodes.INTERRUPTED, "submit interrupted");
            }
        });
    }

    @Override
    public Download get(String id) {
        return call("status of " + id, () -> service.get(id));
    }

    @Override
    public List<Download> list() {
        return call("list", service::list);
    }

    @Override
    public Download resume(String id) {
        return call("resume " + id, () -> {
            try {
                return service.resume(id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCodes.INTERRUPTED, "resume " + id + " interrupted");
            }
        });
    }

    /**
     * Snapshots paced like the coordinator's gRPC {@code Watch} ({@link WatchPacer}): every
     * {@code interval}, and the terminal state within one tick of being reached; the iterator ends
     * after it.
     */
    @Override
    public Iterator<Download> watch(String id, Duration interval) {
        get(id); // unknown id: fail now, like the service
        WatchPacer pacer = new WatchPacer(interval);
        return new Iterator<>() {
            private boolean ended;

            @Override
            public boolean hasNext() {
                return !ended;
            }

            @Override
            public Download next() {
                if (ended) {
                    throw new NoSuchElementException();
                }
                while (true) {
                    Download d = service.viewOrNull(id);
                    if (d == null) {
                        throw Status.NOT_FOUND.withDescription("download " + id + " vanished").asRuntimeException();
                    }
                    if (pacer.due(d, System.nanoTime())) {
                        ended = WatchPacer.isTerminal(d);
                        return d;
                    }
                    try {
                        Thread.sleep(WatchPacer.TICK.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
                    }
                }
            }
        };
    }

    @Override
    public boolean hasAnswered() {
        return true;
    }

    @Override
    public CliFailure failure(String action, StatusRuntimeException e) {
        return GrpcFailures.toFailure(action, ADDRESS, e);
    }

    private <T> T call(String action, Supplier<T> body) {
        try {
            return body.get();
        } catch (DownloadException e) {
            throw failure(action, GrpcStatuses.of(e));
        }
    }

    // ---- logging --------------------------------------------------------------------------

    /** Sends the core's and the engine's log lines (INFO and up) to {@code file} instead of the terminal. */
    private static Handler logInto(Path file) throws IOException {
        FileHandler handler = new FileHandler(file.toString(), true);
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.INFO);
        for (String category : LOGGED_CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.INFO);
            logger.setUseParentHandlers(false);
            logger.addHandler(handler);
        }
        return handler;
    }

    private static void closeLog(Handler handler) {
        for (String category : LOGGED_CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            logger.setLevel(null);
        }
        handler.close();
    }
}
