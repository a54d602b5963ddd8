package io.p2pdl.fetch.testorigin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answers a GET or HEAD for served content with RFC 9110 single-range semantics. */
final class RangeResponder {

    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final Behaviour b;
    private final HttpRequestHead req;
    private final ResponseWriter w;

    RangeResponder(Behaviour b, HttpRequestHead req, ResponseWriter w) {
        this.b = b;
        this.req = req;
        this.w = w;
    }

    boolean respond() throws IOException {
        Content content = b.content();
        String etag = b.etag();
        long size = content.size();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        if (!b.ignoresRange()) {
            headers.put("Accept-Ranges", "bytes");
        }
        if (etag != null) {
            headers.put("ETag", etag);
        }
        if (b.lastModifiedValue() != null) {
            headers.put("Last-Modified", b.lastModifiedValue());
        }
        if (b.contentEncodingValue() != null) {
            headers.put("Content-Encoding", b.contentEncodingValue());
        }
        String range = req.header("Range");
        if (range == null || b.ignoresRange() || !ifRangeHolds(etag)) {
            return send(200, headers, content, 0, size);
        }
        Matcher m = SINGLE_RANGE.matcher(range.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            // Multiple or malformed ranges: RFC 9110 lets a server ignore the header.
            return send(200, headers, content, 0, size);
        }
        long first;
        long last;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                first = Math.max(0, size - suffix);
                last = size - 1;
                if (suffix == 0) {
                    first = size;
                }
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                    return send(200, headers, content, 0, size);
                }
            }
        } catch (NumberFormatException e) {
            return send(200, headers, content, 0, size);
        }
        if (first >= size) {
            headers.put("Content-Range", "bytes */" + size);
            headers.put("Content-Length", "0");
            headers.remove("Content-Type");
            w.head(416, headers);
            return true;
        }
        long length = last - first + 1;
        if (b.takeMultipart()) {
            return sendMultipart(headers, content, first, last);
        }
        if (b.takeWrongRange()) {
            // One byte off, same body: only a client that checks Content-Range notices.
            long shift = last + 1 < size ? 1 : -1;
            headers.put("Content-Range", "bytes " + (first + shift) + "-" + (last + shift) + "/" + size);
        } else {
            headers.put("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        return send(206, headers, content, first, length);
    }

    /** A 206 whose body is one {@code multipart/byteranges} part, as RFC 9110 §14.6 allows. */
    private boolean sendMultipart(Map<String, String> headers, Content content, long first, long last)
            throws IOException {
        String boundary = "P2PDL_TEST_BOUNDARY";
        byte[] open = TestOrigin.ascii("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes " + first + "-" + last + "/" + content.size() + "\r\n\r\n");
        byte[] close = TestOrigin.ascii("\r\n--" + boundary + "--\r\n");
        long length = last - first + 1;
        headers.put("Content-Type", "multipart/byteranges; boundary=" + boundary);
        headers.put("Content-Length", Long.toString(open.length + length + close.length));
        w.head(206, headers);
        if (req.method().equals("HEAD")) {
            return true;
        }
        w.raw(open);
        w.body(content, first, length, false, new ResponseWriter.BodyFaults(-1, -1, -1, -1, 0));
        w.raw(close);
        return true;
    }

    /** If-Range holds when absent or equal to the current strong ETag or Last-Modified. */
    private boolean ifRangeHolds(String etag) {
        String ifRange = req.header("If-Range");
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return etag != null && !etag.startsWith("W/") && ifRange.equals(etag);
        }
        return ifRange.equals(b.lastModifiedValue());
    }

    private boolean send(int status, Map<String, String> headers, Content content, long offset, long length)
            throws IOException {
        boolean chunked = b.sendsNoLength();
        boolean head = req.method().equals("HEAD");
        if (chunked) {
            headers.put("Transfer-Encoding", "chunked");
        } else if (head && b.headLengthValue() >= 0) {
            headers.put("Content-Length", Long.toString(b.headLengthValue()));
        } else {
            headers.put("Content-Length", Long.toString(length));
        }
        w.head(status, headers);
        if (head) {
            return true;
        }
        int dripRate = b.takeDrip(length);
        return w.body(content, offset, length, chunked, new ResponseWriter.BodyFaults(b.takeCut(length),
                b.takeStall(length), b.takeReset(length), dripRate > 0 ? b.dripAfterBytes() : -1, dripRate));
    }
}
