package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.proto.v1.ChunkLease;
import java.net.http.HttpClient;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The pull loop shared by the worker service and the coordinator's embedded workers:
 * {@code concurrency} slots each ask coordinators (round-robin) for a chunk lease, fetch its
 * byte range from the origin and stream it back with {@code TransferChunk}.
 *
 * <p>Life cycle: {@link #start()} once, then {@link #stop()} (also via {@link #close()}), which
 * stops taking work, lets in-flight chunks finish for up to the drain timeout, gives the rest
 * back with WORKER_STOPPING, and returns. The discovery and the HTTP client belong to the caller.
 */
public final class FetchEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FetchEngine.class);
    /** How long slots get to release their leases after drain time is up. */
    private static final long GIVE_BACK_MILLIS = 7_000;

    private final FetchEngineOptions options;
    private final CoordinatorDiscovery discovery;
    private final FetchListener listener;
    private final StopSignal stop = new StopSignal();
    private final CoordinatorRotation rotation = new CoordinatorRotation(System::nanoTime);
    private final CoordinatorLinks links;
    private final IdleWatchdog watchdog;
    /** Waiting slots wait on this for a permit or a succession; guards the two fields below. */
    private final Object turns = new Object();
    /**
     * Fetch permits free: at most {@code concurrency} slots ask for work or read origin bodies at
     * once; besides, a slot may ask on behalf of a fetch whose body is about to end and take its
     * permit over then.
     */
    private int fetchPermits;
    /** Fetches near their body's end whose succession no slot has claimed yet (may hold finished ones). */
    private final ArrayDeque<ActiveFetch> successions = new ArrayDeque<>();
    private final RangeFetch rangeFetch;
    private final Set<ActiveFetch> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drainLock = new Object();
    private final Object targetsLock = new Object();
    private volatile List<CoordinatorTarget> known = List.of();
    private ExecutorService slots;
    private boolean stopped;

    /** An engine talking gRPC to the coordinators {@code d} finds. */
    public FetchEngine(FetchEngineOptions o, CoordinatorDiscovery d, HttpClient http, FetchListener listener) {
        this(o, d, http, listener, new CoordinatorChannels(o.token(), o.tls()));
    }

    /**
     * An engine reaching coordinators through {@code links} (the coordinator's embedded workers use
     * direct in-process links); the engine closes them when it stops.
     */
    public FetchEngine(FetchEngineOptions o, CoordinatorDiscovery d, HttpClient http, FetchListener listener,
            CoordinatorLinks links) {
        this.options = Objects.requireNonNull(o, "options");
        this.discovery = Objects.requireNonNull(d, "discovery");
        this.listener = listener == null ? FetchListener.NONE : listener;
        this.watchdog = new IdleWatchdog(o);
        this.fetchPermits = o.concurrency();
        this.rangeFetch = new RangeFetch(Objects.requireNonNull(http, "http"), o, this.listener);
        this.links = Objects.requireNonNull(links, "links");
    }

    /** Starts the slots; calling it again does nothing. */
    public synchronized void start() {
        if (stopped) {
            throw new IllegalStateException("fetch engine was stopped");
        }
        if (slots != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        // Three times the threads, the same number of fetches: a slot whose chunk is all read waits
        // for the coordinator's verdict on a thread of its own while the next fetch starts, and
        // another may ask for the chunk after next while a body ends (ActiveFetch's succession).
        int threads = 3 * options.concurrency();
        slots = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "p2pdl-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ChunkFetcher fetcher = new ChunkFetcher(options, rangeFetch, listener, stop);
        for (int i = 0; i < threads; i++) {
            slots.execute(new FetchSlot(this, fetcher, stop, options));
        }
        LOG.infof("fetch engine %s started with %d slots", options.workerId(), options.concurrency());
    }

    /**
     * Stops taking work, waits up to the drain timeout for in-flight chunks, releases the rest
     * with WORKER_STOPPING and returns once the slots are gone. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stop.stopTakingWork();
        try {
            if (!awaitDrained(options.drainTimeout().toMillis())) {
                LOG.infof("drain timeout: giving back %d in-flight chunks", inFlight.get());
            }
            stop.giveBackNow();
            active.forEach(f -> f.abort(ActiveFetch.AbortReason.STOPPING));
            if (slots != null) {
                slots.shutdown();
                if (!slots.awaitTermination(GIVE_BACK_MILLIS, TimeUnit.MILLISECONDS)) {
                    slots.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (slots != null) {
                slots.shutdownNow();
            }
        } finally {
            watchdog.close();
            links.close();
            rangeFetch.close();
            LOG.infof("fetch engine %s stopped", options.workerId());
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Tells the engine that its coordinators may have work again (a download submitted or resumed,
     * a chunk given back): idle slots ask at once instead of waiting out the "no work" backoff. Cheap and
     * safe from any thread; unreachable coordinators keep their backoff.
     */
    public void wake() {
        rotation.forgetNoWork();
        stop.wakeIdle();
    }

    /** Chunks leased and not yet transferred or released. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The coordinators from the latest discovery round. */
    public List<CoordinatorTarget> knownCoordinators() {
        return known;
    }

    // ---- for FetchSlot ------------------------------------------------------------------

    String workerId() {
        return options.workerId();
    }

    CoordinatorRotation rotation() {
        return rotation;
    }

    CoordinatorLinks links() {
        return links;
    }

    /** Asks discovery for the current coordinators and forgets vanished ones. */
    List<CoordinatorTarget> refreshTargets() {
        List<CoordinatorTarget> now = discovery.coordinators();
        if (now.equals(known)) {
            return now;
        }
        // Serialised, and re-read under the lock, so two slots seeing different discovery rounds
        // cannot apply them out of order and leave the older one in place. Not the engine's own
        // monitor: stop() holds that while it drains.
        synchronized (targetsLock) {
            now = discovery.coordinators();
            if (!now.equals(known)) {
                known = List.copyOf(now);
                LOG.infof("coordinators: %s", known);
                rotation.retainOnly(known);
                links.retainOnly(known);
            }
            return now;
        }
    }

    /**
     * A slot's right to ask for work: a fetch permit of its own ({@code after} null), or the
     * succession of {@code after}, a fetch whose body is about to end.
     */
    record Turn(ActiveFetch after) {
        static final Turn OWN_PERMIT = new Turn(null);
    }

    /**
     * Waits for one of the {@code concurrency} fetch permits (a slot asking for work or reading an
     * origin body holds one) or for a fetch's succession to claim; null when the engine stops
     * taking work meanwhile.
     */
    Turn awaitTurn() throws InterruptedException {
        synchronized (turns) {
            while (!stop.stoppingSoft()) {
                if (fetchPermits > 0) {
                    fetchPermits--;
                    return Turn.OWN_PERMIT;
                }
                for (ActiveFetch f; (f = successions.poll()) != null; ) {
                    if (f.claimSuccession()) {
                        return new Turn(f);
                    }
                }
                turns.wait(200);
            }
        }
        return null;
    }

    /** Ends a turn that got no lease: its permit (now, or when the body it waited on ends) goes back. */
    void endTurn(Turn turn) {
        if (turn.after() == null) {
            releaseFetchPermit();
        } else {
            turn.after().dropClaim();
        }
    }

    void releaseFetchPermit() {
        synchronized (turns) {
            fetchPermits++;
            turns.notify();
        }
    }

    /** A fetch's body is about to end: a waiting slot may ask for the next chunk now. */
    private void offerSuccession(ActiveFetch f) {
        synchronized (turns) {
            successions.add(f);
            turns.notify();
        }
    }

    /**
     * Fetches and transfers {@code lease}, leased in {@code turn}: with the turn's own permit, or
     * once the fetch it succeeds has read its body. The permit moves on (to a successor or back
     * to the engine) once the origin no longer sends to this slot (its body read and closed, or
     * the lease given up), before the verdict.
     */
    void runLease(ChunkLease lease, CoordinatorLink link, ChunkFetcher fetcher, Turn turn)
            throws InterruptedException {
        inFlight.incrementAndGet();
        boolean permit = true;
        try {
            if (turn.after() != null) {
                permit = turn.after().awaitPermit(stop::stoppingHard);
            }
        } catch (InterruptedException e) {
            turn.after().dropClaim();
            permit = false;
            Thread.currentThread().interrupt();
        }
        // Without a permit (stopping) there is none to pass on: no succession either.
        ActiveFetch fetch = permit ? new ActiveFetch(this::releaseFetchPermit, this::offerSuccession) : new ActiveFetch();
        active.add(fetch);
        watchdog.watch(fetch);
        if (stop.stoppingHard() || !permit) {
            fetch.abort(ActiveFetch.AbortReason.STOPPING);
        }
        try {
            fetcher.run(lease, link, fetch);
        } finally {
            fetch.bodyRead();
            watchdog.unwatch(fetch);
            active.remove(fetch);
            inFlight.decrementAndGet();
            synchronized (drainLock) {
                drainLock.notifyAll();
            }
        }
    }

    private boolean awaitDrained(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (drainLock) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drainLock, left);
            }
        }
        return true;
    }
}
