package io.p2pdl.fetch.engine;

import io.grpc.StatusRuntimeException;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.proto.v1.GetChunkResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One fetch slot: asks the next coordinator in rotation for a chunk, fetches it, and repeats
 * until the engine stops taking work. Sleeps (with jitter) only when no coordinator may be
 * asked, so it never spins.
 */
final class FetchSlot implements Runnable {

    private static final Logger LOG = Logger.getLogger(FetchSlot.class);

    private final FetchEngine engine;
    private final ChunkFetcher fetcher;
    private final StopSignal stop;
    private final Duration getChunkTimeout;
    private final Duration maxIdleBackoff;

    FetchSlot(FetchEngine engine, ChunkFetcher fetcher, StopSignal stop, FetchEngineOptions options) {
        this.engine = engine;
        this.fetcher = fetcher;
        this.stop = stop;
        this.maxIdleBackoff = options.maxIdleBackoff();
        Duration tenSeconds = Duration.ofSeconds(10);
        this.getChunkTimeout = options.requestTimeout().compareTo(tenSeconds) < 0 ? options.requestTimeout() : tenSeconds;
    }

    @Override
    public void run() {
        try {
            while (!stop.stoppingSoft()) {
                try {
                    askOnce();
                } catch (RuntimeException e) {
                    // A bug (or a broken discovery) must not kill the slot for good: log it,
                    // pause so a persistent failure does not spin, and carry on.
                    LOG.error("fetch slot iteration failed", e);
                    stop.idleSleep(maxIdleBackoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void askOnce() throws InterruptedException {
        FetchEngine.Turn turn = engine.awaitTurn();
        if (turn == null) {
            return;
        }
        leased = false;
        long sleep;
        try {
            sleep = askInTurn(turn);
        } finally {
            if (!leased) {
                engine.endTurn(turn); // also when the round failed: the permit must not be lost
            }
        }
        if (sleep > 0) {
            stop.idleSleep(Jitter.halfToFull(Duration.ofNanos(sleep)));
        }
    }

    /** Whether this round's lease took the turn over (its fetch then passes the permit on). */
    private boolean leased;

    /**
     * One round in a turn (a fetch permit held, or a succession claimed): 0 to ask again at once
     * (also after a lease was fetched), or how many nanoseconds to sleep (without the turn) first.
     */
    private long askInTurn(FetchEngine.Turn turn) throws InterruptedException {
        List<CoordinatorTarget> targets = engine.refreshTargets();
        Optional<CoordinatorTarget> next = engine.rotation().next(targets);
        if (next.isEmpty()) {
            long wait = targets.isEmpty() ? maxIdleBackoff.toNanos()
                    : Math.min(engine.rotation().nanosUntilNextReady(targets), maxIdleBackoff.toNanos());
            return Math.max(wait, 1_000_000);
        }
        CoordinatorTarget target = next.get();
        Optional<CoordinatorLink> maybeLink = engine.links().link(target);
        if (maybeLink.isEmpty()) {
            // It left discovery since this round's refresh: the next round will not pick it.
            return 0;
        }
        CoordinatorLink link = maybeLink.get();
        boolean ahead = turn.after() != null;
        GetChunkResponse response;
        try {
            // Long poll: the coordinator answers as soon as it has work, or NoWork after the wait
            // (at most the idle backoff, so a slot waiting on one coordinator soon tries the next).
            // A successor asks ahead: a queued chunk or NoWork at once (no endgame duplicate, which
            // must start now: the slot whose body ends asks for that with the permit it gets back).
            response = stop.askForWork(() -> link.getChunk(engine.workerId(), ahead ? Duration.ZERO : maxIdleBackoff,
                    getChunkTimeout, ahead));
        } catch (StatusRuntimeException e) {
            if (stop.stoppingSoft()) {
                return 0; // the engine stopping cut the long poll short: not the coordinator's fault
            }
            LOG.debugf("coordinator %s: GetChunk failed: %s", target, e.getStatus());
            engine.links().reportFailure(target, e);
            engine.rotation().unreachable(target);
            return 0;
        }
        if (!response.hasLease()) {
            if (!ahead) { // nothing queued is no reason to keep the slot freeing up from asking here
                engine.rotation().noWork(target, response.getNoWork().getRetryAfterMs());
            }
            return 0;
        }
        engine.rotation().leased(target);
        leased = true;
        engine.runLease(response.getLease(), link, fetcher, turn);
        return 0;
    }
}
