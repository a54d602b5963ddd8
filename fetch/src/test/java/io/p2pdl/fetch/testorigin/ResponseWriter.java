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

    private final OutputStream out;
    private final InputStream in;
    private final HttpRequestHead req;
    private final ObjLongConsumer<String> bodyCounter;

    ResponseWriter(OutputStream out, InputStream in, HttpRequestHead req, ObjLongConsumer<String> bodyCounter) {
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

    /**
     * Writes {@code length} bytes of {@code content} from {@code offset}, chunked or not.
     * {@code cutAfter}/{@code stallAfter} (-1 for none) end the body early.
     *
     * @return false when the connection must be closed (body ended early)
     */
    boolean body(Content content, long offset, long length, boolean chunked, long cutAfter, long stallAfter)
            throws IOException {
        long limit = length;
        if (cutAfter >= 0) {
            limit = Math.min(limit, cutAfter);
        }
        if (stallAfter >= 0) {
            limit = Math.min(limit, stallAfter);
        }
        byte[] buf = new byte[1 << 16];
        long sent = 0;
        while (sent < limit) {
            int n = (int) Math.min(buf.length, limit - sent);
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
        }
        if (sent < length) {
            out.flush();
            if (stallAfter >= 0 && (cutAfter < 0 || stallAfter <= cutAfter)) {
                awaitClientGone();
            }
            return false;
        }
        if (chunked) {
            out.write(TestOrigin.ascii("0\r\n\r\n"));
        }
        return true;
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
