package io.p2pdl.fetch.engine;

import java.io.IOException;
import java.io.Closeable;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The abortable parts of one chunk being fetched: the pending origin request, its body stream
 * and the transfer to the coordinator. The idle watchdog and {@link FetchEngine#stop()} abort
 * them from other threads; the slot thread then sees its blocking call fail and asks
 * {@link #abortReason()} how to classify it. It also counts the bytes moved, for the
 * watchdog's lowest-speed check.
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
    /** Gives back the slot's fetch permit once the origin body is done with; runs at most once. */
    private final AtomicReference<Runnable> onBodyRead;

    ActiveFetch() {
        this(() -> { });
    }

    ActiveFetch(Runnable onBodyRead) {
        this.onBodyRead = new AtomicReference<>(onBodyRead);
    }

    /** The origin body is read and closed (or abandoned): the next fetch may start. Idempotent. */
    void bodyRead() {
        Runnable r = onBodyRead.getAndSet(null);
        if (r != null) {
            r.run();
        }
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
