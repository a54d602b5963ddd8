package io.p2pdl.fetch.testorigin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request line and headers of one HTTP/1.1 request, read from a socket.
 *
 * @param method request method
 * @param path path without the query string
 * @param query the query string without {@code ?}, empty when none
 * @param version protocol version, e.g. {@code HTTP/1.1}
 * @param headers header fields, names case-insensitive (the last one wins)
 */
record HttpRequestHead(String method, String path, String query, String version, Map<String, String> headers) {

    private static final int MAX_HEAD = 64 * 1024;

    /** The next request head, or {@code null} when the client closed the connection first. */
    static HttpRequestHead read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too large");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3) {
            throw new IOException("bad request line: " + lines[0]);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String queryString = query < 0 ? "" : target.substring(query + 1);
        return new HttpRequestHead(requestLine[0], path, queryString, requestLine[2],
                Collections.unmodifiableMap(headers));
    }

    /** The value of query parameter {@code name} (not decoded), or {@code null}. */
    String queryParam(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** A header value, or {@code null}. */
    String header(String name) {
        return headers.get(name);
    }

    /** Whether the client lets the connection stay open after this exchange. */
    boolean keepAlive() {
        String connection = headers.getOrDefault("Connection", "").toLowerCase(java.util.Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return connection.contains("keep-alive");
        }
        return !connection.contains("close");
    }
}
