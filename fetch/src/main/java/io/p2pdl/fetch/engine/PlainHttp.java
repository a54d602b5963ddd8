package io.p2pdl.fetch.engine;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Ranged GETs over plain HTTP/1.1 on pooled blocking sockets, for {@code http://} origins reached
 * without a proxy. The body is read by the fetching thread straight into its buffer (a direct one
 * when the bytes go to a file in this process): no selector thread, no per-read allocation, no
 * hand-off queue. On loopback the JDK client spent more than twice the CPU for the same bytes.
 * {@code https}, proxies and everything else go through the JDK client ({@link JdkExchange}).
 *
 * <p>Framing follows RFC 9112: {@code Content-Length}, {@code chunked}, or until close; a connection
 * is reused only after an HTTP/1.1 response whose body was read to its end without
 * {@code Connection: close}. A pooled connection the origin closed meanwhile is retried once on a
 * fresh one, before any byte of the response arrived.
 */
final class PlainHttp implements AutoCloseable {

    /** Longest response head accepted. */
    static final int MAX_HEAD = 64 * 1024;
    /** Idle connections kept per origin. */
    private static final int MAX_IDLE_PER_ORIGIN = 64;

    private final Duration connectTimeout;
    private final Map<String, ConcurrentLinkedDeque<SocketChannel>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PlainHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Whether requests for {@code uri} may take this path: plain http, and no proxy applies. */
    static boolean applies(HttpClient http, URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        return http.proxy()
                .map(selector -> selector.select(uri).stream().allMatch(p -> p.type() == Proxy.Type.DIRECT))
                .orElse(true);
    }

    /**
     * Sends a GET for {@code uri} with {@code headers} and returns once the response head arrived.
     * The exchange is attached to {@code active} before anything blocks, so an abort or the idle
     * watchdog can end the wait.
     */
    OriginExchange send(URI uri, List<Map.Entry<String, String>> headers, ActiveFetch active) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String key = host + ":" + port;
        byte[] request = request(uri, headers);
        SocketChannel pooled = poll(key);
        if (pooled != null) {
            Exchange ex = new Exchange(key, pooled);
            try {
                return ex.start(request, active);
            } catch (IOException e) {
                ex.close();
                if (ex.receivedAny || active.aborted()) {
                    throw e;
                }
                // The origin closed the idle connection meanwhile: one fresh attempt.
            }
        }
        Exchange ex = new Exchange(key, connect(host, port));
        try {
            return ex.start(request, active);
        } catch (IOException e) {
            ex.close();
            throw e;
        }
    }

    private SocketChannel connect(String host, int port) throws IOException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(h, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            ch.socket().setTcpNoDelay(true);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private SocketChannel poll(String key) {
        ConcurrentLinkedDeque<SocketChannel> q = idle.get(key);
        for (SocketChannel ch = q == null ? null : q.pollLast(); ch != null; ch = q.pollLast()) {
            if (ch.isOpen()) {
                return ch;
            }
        }
        return null;
    }

    private void giveBack(String key, SocketChannel ch) {
        ConcurrentLinkedDeque<SocketChannel> q = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        if (closed || q.size() >= MAX_IDLE_PER_ORIGIN) {
            closeQuietly(ch);
            return;
        }
        q.addLast(ch);
        if (closed && q.remove(ch)) {
            closeQuietly(ch);
        }
    }

    /** Closes every idle connection; exchanges still running close theirs when they end. */
    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> {
            for (SocketChannel ch = q.poll(); ch != null; ch = q.poll()) {
                closeQuietly(ch);
            }
        });
    }

    static byte[] request(URI uri, List<Map.Entry<String, String>> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        StringBuilder b = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + uri.getPort()).append("\r\n")
                .append("User-Agent: p2pdl\r\n");
        for (Map.Entry<String, String> h : headers) {
            b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing to do.
        }
    }

    private enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    /** One request and its response on one connection. */
    private final class Exchange implements OriginExchange {
        private final String key;
        private final SocketChannel ch;
        /** Bytes read from the socket but not yet consumed (head remainder, chunk framing). */
        private final ByteBuffer pending = ByteBuffer.allocate(16 * 1024).flip();
        private int status;
        private HttpHeaders headers;
        private Framing framing;
        private boolean keepAlive;
        /** LENGTH: body bytes left; CHUNKED: bytes left in the current chunk. */
        private long left;
        private boolean chunkCrlfDue;
        private boolean ended;
        private boolean released;
        boolean receivedAny;

        Exchange(String key, SocketChannel ch) {
            this.key = key;
            this.ch = ch;
        }

        OriginExchange start(byte[] request, ActiveFetch active) throws IOException {
            active.attachBody(this, null);
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            do {
                readHead();
            } while (status >= 100 && status < 200);
            return this;
        }

        private void readHead() throws IOException {
            StringBuilder head = new StringBuilder(512);
            // Byte by byte from the pending buffer, refilled in blocks: heads are small.
            int last4 = 0;
            while (true) {
                int c = readByte();
                if (c < 0) {
                    throw new EOFException(head.length() == 0 && !receivedAny ? "origin closed the connection"
                            : "origin closed the connection inside the response head");
                }
                head.append((char) c);
                last4 = (last4 << 8) | c;
                if (last4 == 0x0d0a0d0a || head.length() >= 2 && head.charAt(head.length() - 2) == '\n' && c == '\n') {
                    break;
                }
                if (head.length() > MAX_HEAD) {
                    throw new IOException("response head longer than " + MAX_HEAD + " bytes");
                }
            }
            parseHead(head.toString());
        }

        private void parseHead(String head) throws IOException {
            String[] lines = head.split("\r?\n");
            String statusLine = lines[0];
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + abbreviate(statusLine));
            }
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + abbreviate(statusLine));
            }
            boolean http11 = statusLine.startsWith("HTTP/1.1");
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String previous = null;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && previous != null) {
                    List<String> values = map.get(previous);
                    values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + abbreviate(line));
                }
                previous = line.substring(0, colon).trim();
                map.computeIfAbsent(previous, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
            headers = HttpHeaders.of(map, (n, v) -> true);
            keepAlive = http11 && headers.allValues("Connection").stream()
                    .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
            String te = headers.firstValue("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT).trim();
            if (status < 200 || status == 204 || status == 304) {
                framing = Framing.LENGTH;
                left = 0;
            } else if (te.endsWith("chunked")) {
                framing = Framing.CHUNKED;
                left = 0;
            } else if (!te.isEmpty()) {
                framing = Framing.UNTIL_CLOSE;
                keepAlive = false;
            } else if (headers.firstValue("Content-Length").isPresent()) {
                framing = Framing.LENGTH;
                try {
                    left = Long.parseLong(headers.firstValue("Content-Length").get().trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length " + abbreviate(headers.firstValue("Content-Length").get()));
                }
                if (left < 0) {
                    throw new IOException("negative Content-Length");
                }
            } else {
                framing = Framing.UNTIL_CLOSE;
                keepAlive = false;
            }
            if (status >= 200 && framing == Framing.LENGTH && left == 0) {
                end();
            }
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public HttpHeaders headers() {
            return headers;
        }

        @Override
        public boolean prefersHeapBuffers() {
            return false;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (ended || !dst.hasRemaining()) {
                return ended ? -1 : 0;
            }
            switch (framing) {
                case LENGTH -> {
                    int n = readBody(dst, left);
                    if (n < 0) {
                        // Cut short: the caller reports how much arrived.
                        abandon();
                        return -1;
                    }
                    left -= n;
                    if (left == 0) {
                        end();
                    }
                    return n;
                }
                case CHUNKED -> {
                    if (left == 0 && !nextChunk()) {
                        end();
                        return -1;
                    }
                    int n = readBody(dst, left);
                    if (n < 0) {
                        abandon();
                        return -1;
                    }
                    left -= n;
                    chunkCrlfDue = left == 0;
                    return n;
                }
                default -> {
                    int n = readBody(dst, Long.MAX_VALUE);
                    if (n < 0) {
                        end();
                    }
                    return n;
                }
            }
        }

        /** Reads up to {@code max} bytes: from the pending buffer first, else one socket read. */
        private int readBody(ByteBuffer dst, long max) throws IOException {
            int room = (int) Math.min(dst.remaining(), max);
            if (pending.hasRemaining()) {
                int n = Math.min(room, pending.remaining());
                ByteBuffer slice = pending.slice();
                slice.limit(n);
                dst.put(slice);
                pending.position(pending.position() + n);
                return n;
            }
            int limit = dst.limit();
            dst.limit(dst.position() + room);
            try {
                int n = ch.read(dst);
                if (n > 0) {
                    receivedAny = true;
                }
                return n;
            } finally {
                dst.limit(limit);
            }
        }

        /** Reads the next chunk-size line; false after the last chunk (and its trailers). */
        private boolean nextChunk() throws IOException {
            if (chunkCrlfDue) {
                String crlf = readLine();
                if (!crlf.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
                chunkCrlfDue = false;
            }
            String line = readLine();
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            try {
                left = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size " + abbreviate(line));
            }
            if (left < 0) {
                throw new IOException("bad chunk size " + abbreviate(line));
            }
            if (left > 0) {
                return true;
            }
            while (!readLine().isEmpty()) {
                // Trailer fields are ignored.
            }
            return false;
        }

        private String readLine() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                int c = readByte();
                if (c < 0) {
                    throw new EOFException("origin closed the connection inside chunk framing");
                }
                if (c == '\n') {
                    int len = b.length();
                    return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
                }
                if (b.length() > 4096) {
                    throw new IOException("chunk framing line too long");
                }
                b.append((char) c);
            }
        }

        private int readByte() throws IOException {
            if (!pending.hasRemaining()) {
                pending.clear();
                int n = ch.read(pending);
                pending.flip();
                if (n < 0) {
                    return -1;
                }
                receivedAny = true;
            }
            return pending.get() & 0xff;
        }

        @Override
        public void discard() {
            try {
                if (!ended && framing == Framing.LENGTH && left <= JdkExchange.MAX_DRAINED_ERROR_BODY) {
                    ByteBuffer scratch = ByteBuffer.allocate((int) Math.max(1, left));
                    while (!ended) {
                        scratch.clear();
                        if (read(scratch) < 0) {
                            break;
                        }
                    }
                }
            } catch (IOException ignored) {
                // Closed below.
            }
            abandon();
        }

        /** The body was read to its end: the connection may serve the next request. */
        private synchronized void end() {
            ended = true;
            if (released) {
                return;
            }
            released = true;
            if (keepAlive && !pending.hasRemaining()) {
                giveBack(key, ch);
            } else {
                closeQuietly(ch);
            }
        }

        private synchronized void abandon() {
            ended = true;
            if (!released) {
                released = true;
                closeQuietly(ch);
            }
        }

        /** Aborts unless the body already ended (then the connection is pooled or closed already). */
        @Override
        public void close() {
            abandon();
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
