package io.p2pdl.fetch.engine;

import java.io.IOException;
import java.io.Closeable;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The abortable parts of one chunk being fetched: the pending origin request, its body stream
 * and the transfer to the coordinator. The idle watchdog and {@link FetchEngine#stop()} abort
 * them from other threads; the slot thread then sees its blocking call fail and asks
 * {@link #abortReason()} how to classify it. It also counts the bytes moved, for the
 * watchdog's lowest-speed check.
 *
 * <p>It also hands its fetch permit on. Once the body is nearly read (about {@link #LEAD_NANOS}
 * left at its pace), the fetch offers a <em>succession</em>: an idle slot may claim it and ask the
 * coordinator for the next chunk while this body finishes; when it ends, the permit passes
 * straight to that slot, whose request then goes out at once on the connection this body frees.
 * So the lease round trip (long under load: 0.1–0.5 s measured) no longer idles the slot's share
 * of the link after every chunk, and no request is sent while this body still arrives.
 */
final class ActiveFetch implements TransferWatch {

    /**
     * Why a fetch was aborted from outside: nothing moved for the read-idle timeout (IDLE), too
     * little moved over the lowest-speed window (SLOW), or the engine is stopping.
     */
    enum AbortReason { NONE, IDLE, SLOW, STOPPING }

    private volatile AbortReason abortReason = AbortReason.NONE;
    private volatile long lastProgressNanos = System.nanoTime();
    /** Bytes moved by this fetch; written by the slot thread only. */
    private volatile long moved;
    private volatile long windowStartNanos = System.nanoTime();
    private volatile long windowStartBytes;
    private volatile boolean streaming;
    private volatile Future<?> pendingResponse;
    private volatile Closeable body;
    private volatile ChunkSink transfer;
    /** How long before its body ends (at its pace so far) a fetch offers its succession. */
    static final long LEAD_NANOS = 500_000_000L;

    /** Where the permit goes when the body is done (guarded by this). */
    private enum Succession {
        /** No successor: the permit goes back to the engine. */
        OPEN,
        /** A slot claimed the succession and is asking for a lease. */
        CLAIMED,
        /** The body is done; the permit waits for the claiming slot. */
        HANDED,
        /** The successor took the permit, or the body is done without one. */
        SETTLED
    }

    /** Gives the slot's fetch permit back to the engine. */
    private final Runnable releasePermit;
    /** Offers this fetch's succession to idle slots (once per fetch). */
    private final Consumer<ActiveFetch> offerSuccession;
    private Succession succession = Succession.OPEN;
    private boolean bodyDone;
    /** Whether the succession was offered; slot thread only. */
    private boolean offered;
    private volatile long bodyStartNanos = System.nanoTime();
    private volatile long bodyStartBytes;

    ActiveFetch() {
        this(() -> { }, f -> { });
    }

    /**
     * @param releasePermit gives the fetch permit back (when no successor takes it)
     * @param offerSuccession tells idle slots that this fetch's body is about to end
     */
    ActiveFetch(Runnable releasePermit, Consumer<ActiveFetch> offerSuccession) {
        this.releasePermit = releasePermit;
        this.offerSuccession = offerSuccession;
    }

    /**
     * The origin body is read and closed (or abandoned): the permit passes to the successor, if
     * one claimed it, else back to the engine. Idempotent.
     */
    void bodyRead() {
        synchronized (this) {
            if (bodyDone) {
                return;
            }
            bodyDone = true;
            if (succession == Succession.CLAIMED) {
                succession = Succession.HANDED;
                notifyAll();
                return;
            }
            succession = Succession.SETTLED;
        }
        releasePermit.run();
    }

    /**
     * Records that {@code remaining} of the body's {@code length} bytes are still to come; offers the
     * succession once the rest should take at most {@link #LEAD_NANOS} at the pace so far (and at
     * most half the body is left). Slot thread only.
     */
    void remaining(long remaining, long length) {
        if (offered || remaining <= 0 || 2 * remaining > length) {
            return;
        }
        long read = moved - bodyStartBytes;
        long elapsed = System.nanoTime() - bodyStartNanos;
        if (read > 0 && (double) remaining * elapsed <= (double) read * LEAD_NANOS) {
            offered = true;
            offerSuccession.accept(this);
        }
    }

    /** Claims the succession for an idle slot: false when the body is done or another slot claimed it. */
    synchronized boolean claimSuccession() {
        if (bodyDone || succession != Succession.OPEN) {
            return false;
        }
        succession = Succession.CLAIMED;
        return true;
    }

    /**
     * For the claiming slot, which got a lease: waits until the body is done and takes the permit
     * (true), or until {@code giveUp} says so (false: the claim is dropped, the permit stays here).
     */
    synchronized boolean awaitPermit(BooleanSupplier giveUp) throws InterruptedException {
        while (succession != Succession.HANDED) {
            if (giveUp.getAsBoolean()) {
                dropClaimLocked();
                return false;
            }
            wait(100);
        }
        succession = Succession.SETTLED;
        return true;
    }

    /** For the claiming slot, which got no lease: the permit returns to the engine when the body is done. */
    void dropClaim() {
        boolean release;
        synchronized (this) {
            release = dropClaimLocked();
        }
        if (release) {
            releasePermit.run();
        }
    }

    /** True when the permit was already handed over and must be released by the caller. */
    private boolean dropClaimLocked() {
        if (succession == Succession.CLAIMED) {
            succession = Succession.OPEN;
            return false;
        }
        if (succession == Succession.HANDED) {
            succession = Succession.SETTLED;
            return true;
        }
        return false;
    }

    /** Records that bytes moved, postponing the idle timeout. */
    @Override
    public void touch() {
        lastProgressNanos = System.nanoTime();
    }

    /** Records that {@code n} bytes moved: postpones the idle timeout and counts toward the speed. */
    void touch(long n) {
        moved += n;
        touch();
    }

    /**
     * Whether fewer than {@code bytesPerSecond} moved since the window began, once it is at least
     * {@code windowNanos} old; a window that was fast enough starts a new one. Called by the
     * watchdog thread only.
     */
    boolean slowerThan(long bytesPerSecond, long windowNanos, long now) {
        long elapsed = now - windowStartNanos;
        if (elapsed < windowNanos) {
            return false;
        }
        long bytes = moved - windowStartBytes;
        if ((double) bytes * 1e9 < (double) bytesPerSecond * elapsed) {
            return true;
        }
        windowStartNanos = now;
        windowStartBytes = moved;
        return false;
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** Whether a body is being streamed (only then does the idle watchdog apply). */
    boolean streaming() {
        return streaming;
    }

    AbortReason abortReason() {
        return abortReason;
    }

    @Override
    public boolean aborted() {
        return abortReason != AbortReason.NONE;
    }

    void attachResponse(Future<?> f) {
        pendingResponse = f;
        if (aborted()) {
            f.cancel(true);
        }
    }

    /**
     * Attaches the origin exchange being read (and, once open, the sink it feeds); from now on the
     * idle watchdog applies. Called again when the sink is opened.
     */
    void attachBody(Closeable in, ChunkSink t) {
        body = in;
        transfer = t;
        touch();
        windowStartNanos = System.nanoTime();
        windowStartBytes = moved;
        bodyStartNanos = windowStartNanos;
        bodyStartBytes = moved;
        streaming = true;
        if (aborted()) {
            closeAll();
        }
    }

    /** Ends the current attempt; the next attempt attaches fresh parts. */
    void detach() {
        streaming = false;
        pendingResponse = null;
        body = null;
        transfer = null;
    }

    /** Aborts whatever is running; the first reason wins (STOPPING overrides the others). */
    void abort(AbortReason reason) {
        if (abortReason == AbortReason.NONE || reason == AbortReason.STOPPING) {
            abortReason = reason;
        }
        closeAll();
    }

    /** Clears an IDLE abort before the next attempt (a STOPPING abort sticks). */
    void clearIdleAbort() {
        if (abortReason == AbortReason.IDLE) {
            abortReason = AbortReason.NONE;
        }
    }

    private void closeAll() {
        Future<?> f = pendingResponse;
        if (f != null) {
            f.cancel(true);
        }
        Closeable in = body;
        if (in != null) {
            try {
                // Closing the exchange cancels it and wakes a blocked read.
                in.close();
            } catch (IOException ignored) {
                // Aborting anyway.
            }
        }
        ChunkSink t = transfer;
        if (t != null) {
            t.cancel("fetch aborted: " + abortReason);
        }
    }
}
