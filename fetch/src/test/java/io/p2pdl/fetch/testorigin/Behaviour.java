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
    private volatile int faultsFrom;
    private final AtomicInteger requestsSeen = new AtomicInteger();

    private volatile long dripAfter;
    private volatile int dripBytesPerSecond;
    private final AtomicInteger dripsLeft = new AtomicInteger();
    private final AtomicInteger resetsLeft = new AtomicInteger();
    private volatile java.util.Random resetOffsets = new java.util.Random(1);
    private final AtomicInteger wrongRangesLeft = new AtomicInteger();
    private final AtomicInteger multipartsLeft = new AtomicInteger();
    private volatile long headLength = -1;
    private volatile int shrinkAfterGets = -1;
    private volatile long shrunkSize;
    private volatile boolean signed;
    private int signedGetsLeft = -1;
    private final AtomicInteger signatureGeneration = new AtomicInteger(1);

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

    /**
     * Closes the connection after {@code n} body bytes, for the next {@code times} bodies longer
     * than {@code n}.
     */
    public Behaviour cutAfterBytes(long n, int times) {
        cutAfter = n;
        cutsLeft.set(times);
        return this;
    }

    /**
     * Sends {@code n} body bytes, then nothing more while keeping the connection open (until the
     * client gives up), for the next {@code times} bodies longer than {@code n}: a dead origin
     * that never says so.
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

    /**
     * Spares the next {@code n} requests of this path every injected fault (status, cut, stall,
     * reset, drip, wrong range, multipart), e.g. 1 to spare the coordinator's probe; the faults'
     * counts start after them.
     */
    public Behaviour faultsAfterRequests(int n) {
        faultsFrom = requestsSeen.get() + n;
        return this;
    }

    /**
     * Sends {@code afterBytes} body bytes at full speed, then {@code bytesPerSecond} (in small
     * pieces, so the connection never looks idle), for the next {@code times} bodies longer
     * than {@code afterBytes}: an origin connection that crawls without ever stalling.
     */
    public Behaviour drip(long afterBytes, int bytesPerSecond, int times) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 1");
        }
        dripAfter = afterBytes;
        dripBytesPerSecond = bytesPerSecond;
        dripsLeft.set(times);
        return this;
    }

    /**
     * Resets the connection (TCP RST, not a clean close) at a pseudo-random offset inside each of
     * the next {@code times} bodies; offsets are drawn from {@code seed}.
     */
    public Behaviour resetMidBody(int times, long seed) {
        resetOffsets = new java.util.Random(seed);
        resetsLeft.set(times);
        return this;
    }

    /** Answers the next {@code times} range requests with a Content-Range one byte off the request. */
    public Behaviour wrongContentRange(int times) {
        wrongRangesLeft.set(times);
        return this;
    }

    /** Answers the next {@code times} range requests with a one-part {@code multipart/byteranges} 206. */
    public Behaviour multipartRanges(int times) {
        multipartsLeft.set(times);
        return this;
    }

    /** Makes HEAD announce {@code length} as Content-Length instead of the real size. */
    public Behaviour headLength(long length) {
        headLength = length;
        return this;
    }

    /**
     * After {@code n} GETs of this path, the file is cut to its first {@code newSize} bytes while
     * its validators stay (an origin that has none or does not update them), so ranges beyond the
     * end get 416.
     */
    public Behaviour shrinkAfterRequests(int n, long newSize) {
        shrinkAfterGets = n;
        shrunkSize = newSize;
        return this;
    }

    /**
     * Makes {@code otherPath} a signing redirector: it answers 302 with this path plus
     * {@code ?sig=N}, the current signature. This path answers 403 to any other signature (or
     * none). After {@code expireAfterGets} GETs with a valid signature the signature changes once,
     * like a signed URL that expires mid-download; the redirector then hands out the new one.
     */
    public Behaviour signedRedirectFrom(String otherPath, int expireAfterGets) {
        synchronized (this) {
            signed = true;
            signedGetsLeft = expireAfterGets;
        }
        origin.signedRedirect(otherPath, path);
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
        if (shrinkAfterGets >= 0 && n > shrinkAfterGets && content.size() > shrunkSize) {
            content = content.prefix(shrunkSize);
        }
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

    /** Counts a request (any method) before its faults are taken. */
    void countRequest() {
        requestsSeen.incrementAndGet();
    }

    /** Whether faults apply to the current request (see {@link #faultsAfterRequests}). */
    private boolean armed() {
        return requestsSeen.get() > faultsFrom;
    }

    /** The status to answer instead of content, or 0 for none. */
    int takeFaultStatus() {
        return armed() && takeOne(faultsLeft) ? faultStatus : 0;
    }

    /** Bytes per second to drip at after {@link #dripAfterBytes()}, or 0 for a normal body. */
    int takeDrip(long bodyLength) {
        return bodyLength > dripAfter && armed() && takeOne(dripsLeft) ? dripBytesPerSecond : 0;
    }

    long dripAfterBytes() {
        return dripAfter;
    }

    /** Offset inside a body of {@code length} bytes at which to reset the connection, or -1. */
    synchronized long takeReset(long length) {
        return length > 0 && armed() && takeOne(resetsLeft) ? (long) (resetOffsets.nextDouble() * length) : -1;
    }

    boolean takeWrongRange() {
        return armed() && takeOne(wrongRangesLeft);
    }

    boolean takeMultipart() {
        return armed() && takeOne(multipartsLeft);
    }

    long headLengthValue() {
        return headLength;
    }

    /** The signature the redirector hands out now. */
    int signature() {
        return signatureGeneration.get();
    }

    /** Whether a request carrying {@code sig} may be served; counts it toward the expiry. */
    synchronized boolean acceptSignature(String sig, boolean get) {
        if (!String.valueOf(signatureGeneration.get()).equals(sig)) {
            return false;
        }
        if (get && signedGetsLeft > 0 && --signedGetsLeft == 0) {
            signatureGeneration.incrementAndGet();
        }
        return true;
    }

    boolean signed() {
        return signed;
    }

    String faultRetryAfter() {
        return faultRetryAfter;
    }

    /** Body bytes after which to close the connection, or -1; bodies not longer are spared. */
    long takeCut(long bodyLength) {
        return bodyLength > cutAfter && armed() && takeOne(cutsLeft) ? cutAfter : -1;
    }

    /** Body bytes after which to stall, or -1; bodies not longer are spared. */
    long takeStall(long bodyLength) {
        return bodyLength > stallAfter && armed() && takeOne(stallsLeft) ? stallAfter : -1;
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
