package io.p2pdl.fetch.testorigin;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a {@link TestOrigin} path answers: content, validators and injected faults. Every
 * switch returns {@code this} so a test reads as one sentence:
 * {@code origin.serve("/f", content).etag("\"v1\"").cutAfterBytes(1000, 1)}.
 *
 * <p>Switches may be changed while requests are served; each request sees a consistent-enough
 * snapshot for the faults it injects.
 */
public final class Behaviour {

    private final TestOrigin origin;
    private final String path;
    private volatile Content content;
    private volatile String etag;
    private volatile String lastModified;
    private volatile boolean ignoreRange;
    private volatile boolean noHead;
    private volatile boolean noLength;
    private volatile String contentEncoding;
    private volatile Duration delay = Duration.ZERO;

    private volatile int changeAfterGets = -1;
    private final AtomicInteger gets = new AtomicInteger();
    private volatile boolean changed;

    private volatile long cutAfter;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long stallAfter;
    private final AtomicInteger stallsLeft = new AtomicInteger();

    private volatile int faultStatus;
    private volatile String faultRetryAfter;
    private final AtomicInteger faultsLeft = new AtomicInteger();

    Behaviour(TestOrigin origin, String path, Content content) {
        this.origin = origin;
        this.path = path;
        this.content = content;
        this.etag = "\"v1-" + Long.toHexString(content.size()) + "\"";
    }

    /** Answers every ranged GET with 200 and the full body, and sends no Accept-Ranges. */
    public Behaviour ignoreRange() {
        ignoreRange = true;
        return this;
    }

    /** Answers HEAD with 405, as some object stores and CDNs do. */
    public Behaviour noHead() {
        noHead = true;
        return this;
    }

    /** Sends bodies chunked without Content-Length; implies {@link #ignoreRange()}. */
    public Behaviour noLength() {
        noLength = true;
        ignoreRange = true;
        return this;
    }

    /** Makes {@code otherPath} answer {@code code} (301, 302, 307, 308) with a Location here. */
    public Behaviour redirectFrom(String otherPath, int code) {
        origin.redirect(otherPath, path, code);
        return this;
    }

    /**
     * After {@code n} GETs of this path, its content, ETag and Last-Modified (one hour later)
     * change for good.
     */
    public Behaviour changeEtagAfterRequests(int n) {
        changeAfterGets = n;
        return this;
    }

    /** Closes the connection after {@code n} body bytes, for the next {@code times} bodies. */
    public Behaviour cutAfterBytes(long n, int times) {
        cutAfter = n;
        cutsLeft.set(times);
        return this;
    }

    /**
     * Sends {@code n} body bytes, then nothing more while keeping the connection open (until the
     * client gives up), for the next {@code times} bodies: a dead origin that never says so.
     */
    public Behaviour stallAfterBytes(long n, int times) {
        stallAfter = n;
        stallsLeft.set(times);
        return this;
    }

    /** Answers {@code code} to the next {@code times} requests of this path. */
    public Behaviour status(int code, int times) {
        return status(code, times, null);
    }

    /** Like {@link #status(int, int)}, with a {@code Retry-After} header (seconds or date). */
    public Behaviour status(int code, int times, String retryAfter) {
        faultStatus = code;
        faultRetryAfter = retryAfter;
        faultsLeft.set(times);
        return this;
    }

    /** The ETag to send, quotes included; {@code null} sends none. */
    public Behaviour etag(String value) {
        etag = value;
        return this;
    }

    /** The Last-Modified HTTP-date to send; {@code null} (the default) sends none. */
    public Behaviour lastModified(String value) {
        lastModified = value;
        return this;
    }

    /** Sends {@code Content-Encoding: value} with the (unencoded) bytes: a misbehaving origin. */
    public Behaviour contentEncoding(String value) {
        contentEncoding = value;
        return this;
    }

    /** Waits this long before every response, to emulate round-trip latency. */
    public Behaviour delayPerResponse(Duration d) {
        delay = d;
        return this;
    }

    /** The content currently served (the changed one after {@link #changeEtagAfterRequests}). */
    public Content content() {
        return content;
    }

    // ---- used by TestOrigin ------------------------------------------------------------

    /** Counts a GET and applies a pending version change before it is answered. */
    synchronized void countGet() {
        int n = gets.incrementAndGet();
        if (changeAfterGets >= 0 && n > changeAfterGets && !changed) {
            changed = true;
            content = content.changed();
            if (etag != null) {
                String weak = etag.startsWith("W/") ? "W/" : "";
                etag = weak + "\"changed-" + etag.replace("W/", "").replace("\"", "") + "\"";
            }
            if (lastModified != null) {
                lastModified = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        java.time.ZonedDateTime.parse(lastModified, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                                .plusHours(1));
            }
        }
    }

    /** The status to answer instead of content, or 0 for none. */
    int takeFaultStatus() {
        return takeOne(faultsLeft) ? faultStatus : 0;
    }

    String faultRetryAfter() {
        return faultRetryAfter;
    }

    /** Body bytes after which to close the connection, or -1. */
    long takeCut() {
        return takeOne(cutsLeft) ? cutAfter : -1;
    }

    /** Body bytes after which to stall, or -1. */
    long takeStall() {
        return takeOne(stallsLeft) ? stallAfter : -1;
    }

    private static boolean takeOne(AtomicInteger left) {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    String etag() {
        return etag;
    }

    String lastModifiedValue() {
        return lastModified;
    }

    boolean ignoresRange() {
        return ignoreRange;
    }

    boolean refusesHead() {
        return noHead;
    }

    boolean sendsNoLength() {
        return noLength;
    }

    String contentEncodingValue() {
        return contentEncoding;
    }

    Duration delay() {
        return delay;
    }
}
