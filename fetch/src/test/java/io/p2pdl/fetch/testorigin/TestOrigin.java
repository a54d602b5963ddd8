package io.p2pdl.fetch.testorigin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 origin for tests, on a raw {@link ServerSocket} so any fault can be injected:
 * keep-alive, single-range requests per RFC 9110 ({@code bytes=a-b}, {@code a-},
 * {@code -suffix}, 416, If-Range), and per-path {@link Behaviour} switches (ignored ranges, no
 * length, redirects, changing files, cut or stalled bodies, error statuses, latency).
 *
 * <p>One thread per connection: tests have few connections, and blocking I/O keeps the faults
 * obvious. Run it by hand with {@link #main(String[])}.
 */
public final class TestOrigin implements AutoCloseable {

    private record Redirect(String target, int code, boolean signed) {
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Behaviour> paths = new ConcurrentHashMap<>();
    private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final Map<String, AtomicLong> bodyBytesByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> lastHeaders = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Map<String, String>>> allHeaders = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private TestOrigin(ServerSocket server) {
        this.server = server;
    }

    /** Starts on 127.0.0.1 and an ephemeral port. */
    public static TestOrigin start() {
        return start(0);
    }

    /** Starts on 127.0.0.1 and {@code port} (0 for an ephemeral one). */
    public static TestOrigin start(int port) {
        return start(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Starts on {@code address} (loopback, or a test network namespace's link: never a public
     * interface) and {@code port}.
     */
    public static TestOrigin start(InetAddress address, int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 100);
            TestOrigin origin = new TestOrigin(s);
            origin.threads.execute(origin::acceptLoop);
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start test origin", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://ADDRESS:port} followed by {@code path}. */
    public String url(String path) {
        return "http://" + server.getInetAddress().getHostAddress() + ":" + port() + path;
    }

    /** Serves {@code content} at {@code path}, replacing what was there; returns its switches. */
    public Behaviour serve(String path, Content content) {
        Behaviour b = new Behaviour(this, path, content);
        paths.put(path, b);
        redirects.remove(path);
        return b;
    }

    /** Makes {@code from} answer {@code code} with a Location of {@code to} (chains and loops allowed). */
    public void redirect(String from, String to, int code) {
        redirects.put(from, new Redirect(to, code, false));
    }

    void signedRedirect(String from, String to) {
        redirects.put(from, new Redirect(to, 302, true));
    }

    /** Makes {@code from} answer {@code code} with {@code location}, an absolute URL (e.g. to another host). */
    public void redirectAway(String from, String location, int code) {
        redirects.put(from, new Redirect(location, code, false));
    }

    /** Body bytes sent on all paths (cut bodies count what was actually written). */
    public long bodyBytesServed() {
        return bodyBytes.get();
    }

    /** Body bytes sent for {@code path}. */
    public long bodyBytesServed(String path) {
        AtomicLong n = bodyBytesByPath.get(path);
        return n == null ? 0 : n.get();
    }

    /** Requests received for {@code path}, any method, faults included. */
    public int requests(String path) {
        AtomicInteger n = requestsByPath.get(path);
        return n == null ? 0 : n.get();
    }

    /** The headers of the latest request for {@code path} (names case-insensitive); empty if none. */
    public Map<String, String> lastRequestHeaders(String path) {
        return lastHeaders.getOrDefault(path, Map.of());
    }

    /**
     * The values of header {@code name} in every request for {@code path} so far, in arrival
     * order; requests without it are skipped.
     */
    public java.util.List<String> requestHeaderValues(String path, String name) {
        java.util.List<Map<String, String>> all = allHeaders.getOrDefault(path, java.util.List.of());
        synchronized (all) {
            return all.stream().map(h -> h.get(name)).filter(java.util.Objects::nonNull).toList();
        }
    }

    /** Sets every counter back to zero. */
    public void resetCounters() {
        lastHeaders.clear();
        allHeaders.clear();
        bodyBytes.set(0);
        bodyBytesByPath.clear();
        requestsByPath.clear();
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                threads.execute(() -> serveConnection(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("test origin: accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serveConnection(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            while (!closed) {
                HttpRequestHead req = HttpRequestHead.read(in);
                if (req == null) {
                    return;
                }
                requestsByPath.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
                lastHeaders.put(req.path(), req.headers());
                java.util.List<Map<String, String>> seen = allHeaders.computeIfAbsent(req.path(),
                        p -> new java.util.ArrayList<>());
                synchronized (seen) {
                    seen.add(req.headers());
                }
                ResponseWriter w = new ResponseWriter(s, out, in, req, this::countBody);
                boolean keepAlive = respond(req, w);
                out.flush();
                if (!keepAlive || !req.keepAlive()) {
                    return;
                }
            }
        } catch (SocketException e) {
            // Client went away or the origin is closing: nothing to report.
        } catch (IOException e) {
            if (!closed) {
                System.err.println("test origin: connection failed: " + e);
            }
        } finally {
            open.remove(s);
        }
    }

    private void countBody(String path, long n) {
        bodyBytes.addAndGet(n);
        bodyBytesByPath.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(n);
    }

    /** Answers one request; false when the connection must close afterwards. */
    private boolean respond(HttpRequestHead req, ResponseWriter w) throws IOException {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            return w.simple(405, "Allow", "GET, HEAD");
        }
        Redirect redirect = redirects.get(req.path());
        if (redirect != null) {
            Behaviour target = paths.get(redirect.target());
            String location = redirect.target().startsWith("/") ? url(redirect.target()) : redirect.target();
            if (redirect.signed() && target != null) {
                location += "?sig=" + target.signature();
            }
            return w.simple(redirect.code(), "Location", location);
        }
        Behaviour b = paths.get(req.path());
        if (b == null) {
            return w.simple(404, null, null);
        }
        b.countRequest();
        sleep(b);
        if (b.signed() && !b.acceptSignature(req.queryParam("sig"), req.method().equals("GET"))) {
            return w.simple(403, null, null);
        }
        int fault = b.takeFaultStatus();
        if (fault != 0) {
            return w.simple(fault, b.faultRetryAfter() == null ? null : "Retry-After", b.faultRetryAfter());
        }
        if (req.method().equals("HEAD") && b.refusesHead()) {
            return w.simple(405, "Allow", "GET");
        }
        if (req.method().equals("GET")) {
            b.countGet();
        }
        return new RangeResponder(b, req, w).respond();
    }

    private static void sleep(Behaviour b) {
        if (!b.delay().isZero()) {
            try {
                Thread.sleep(b.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    /**
     * Serves pseudo-random bytes until killed:
     * {@code --port P --path /f --size BYTES --seed S}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 8080;
        String path = "/file.bin";
        long size = 64L << 20;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--path" -> path = value;
                case "--size" -> size = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> {
                    System.err.println("test origin: unknown flag " + args[i]
                            + " (use --port P --path /f --size BYTES --seed S)");
                    System.exit(2);
                }
            }
            i++;
        }
        TestOrigin origin = start(port);
        origin.serve(path, Content.pseudoRandom(seed, size));
        System.out.println("serving " + size + " bytes at " + origin.url(path));
        System.out.flush();
        Thread.currentThread().join();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
