package io.p2pdl.fetch.testorigin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/** Writes one response on a connection: status, headers and a body that may be cut or stalled. */
final class ResponseWriter {

    /**
     * Faults inside one body; -1 (0 for the rate) means none.
     *
     * @param cutAfter bytes after which the connection is closed
     * @param stallAfter bytes after which nothing more is sent while the connection stays open
     * @param resetAt bytes after which the connection is reset (RST)
     * @param dripAfter bytes after which the rest trickles at {@code dripRate} bytes per second
     * @param dripRate bytes per second of the trickle
     */
    record BodyFaults(long cutAfter, long stallAfter, long resetAt, long dripAfter, int dripRate) {
    }

    private final java.net.Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final HttpRequestHead req;
    private final ObjLongConsumer<String> bodyCounter;

    ResponseWriter(java.net.Socket socket, OutputStream out, InputStream in, HttpRequestHead req,
            ObjLongConsumer<String> bodyCounter) {
        this.socket = socket;
        this.out = out;
        this.in = in;
        this.req = req;
        this.bodyCounter = bodyCounter;
    }

    /** A status with a tiny text body and at most one extra header; keeps the connection. */
    boolean simple(int status, String header, String value) throws IOException {
        byte[] body = TestOrigin.ascii(status + "\n");
        Map<String, String> headers = new LinkedHashMap<>();
        if (header != null && value != null) {
            headers.put(header, value);
        }
        headers.put("Content-Type", "text/plain");
        headers.put("Content-Length", Integer.toString(body.length));
        head(status, headers);
        if (!req.method().equals("HEAD")) {
            out.write(body);
        }
        return true;
    }

    /** Status line, Date, the given headers, blank line. */
    void head(int status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        sb.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(TestOrigin.ascii(sb.toString()));
    }

    /** Writes raw bytes (a multipart delimiter) without counting them as body bytes. */
    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /**
     * Writes {@code length} bytes of {@code content} from {@code offset}, chunked or not, with the
     * given faults.
     *
     * @return false when the connection must be closed (body ended early)
     */
    boolean body(Content content, long offset, long length, boolean chunked, BodyFaults f) throws IOException {
        long limit = length;
        for (long end : new long[] {f.cutAfter(), f.stallAfter(), f.resetAt()}) {
            if (end >= 0) {
                limit = Math.min(limit, end);
            }
        }
        byte[] buf = new byte[1 << 16];
        long sent = 0;
        boolean dripping = f.dripRate() > 0 && f.dripAfter() >= 0;
        // A tenth of the rate every 100 ms: the connection never looks idle, it only crawls.
        int piece = Math.max(1, f.dripRate() / 10);
        while (sent < limit) {
            boolean drip = dripping && sent >= f.dripAfter();
            long cap = drip ? piece : dripping ? f.dripAfter() - sent : buf.length;
            int n = (int) Math.min(Math.min(buf.length, cap), limit - sent);
            content.readInto(offset + sent, buf, 0, n);
            if (chunked) {
                out.write(TestOrigin.ascii(Integer.toHexString(n) + "\r\n"));
            }
            out.write(buf, 0, n);
            if (chunked) {
                out.write(TestOrigin.ascii("\r\n"));
            }
            sent += n;
            bodyCounter.accept(req.path(), n);
            if (drip) {
                out.flush();
                pause(100);
            }
        }
        if (sent < length) {
            out.flush();
            if (f.resetAt() >= 0 && sent == f.resetAt()) {
                // SO_LINGER 0 makes close() send RST: the client sees "connection reset", not EOF.
                socket.setSoLinger(true, 0);
                socket.close();
            } else if (f.stallAfter() >= 0 && sent == f.stallAfter()) {
                awaitClientGone();
            }
            return false;
        }
        if (chunked) {
            out.write(TestOrigin.ascii("0\r\n\r\n"));
        }
        return true;
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("origin closing");
        }
    }

    /** Blocks until the client closes or resets the connection (or the origin is closed). */
    private void awaitClientGone() {
        try {
            while (in.read() >= 0) {
                // Discard: a stalled origin reads nothing meaningful.
            }
        } catch (IOException e) {
            // Gone.
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 410 -> "Gone";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
