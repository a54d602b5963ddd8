package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain-HTTP fast path against a scripted server: framing, reuse, stale connections, aborts. */
class PlainHttpTest {

    private final PlainHttp plain = new PlainHttp(Duration.ofSeconds(5));
    private ScriptedServer server;

    @AfterEach
    void close() throws IOException {
        plain.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void contentLengthBodyIsReadExactlyAndTheConnectionReused() throws Exception {
        server = new ScriptedServer(request -> response("206 Partial Content", "Content-Length: 5\r\n", "hello"));
        for (int i = 0; i < 3; i++) {
            OriginExchange ex = plain.send(server.uri("/f"), List.of(Map.entry("Range", "bytes=0-4")), new ActiveFetch());
            assertEquals(206, ex.status());
            assertEquals("5", ex.headers().firstValue("content-length").orElseThrow());
            assertEquals("hello", readAll(ex));
            ex.close();
        }
        assertEquals(1, server.connections.get(), "one keep-alive connection for three requests");
        String request = server.requests.poll(5, TimeUnit.SECONDS);
        assertTrue(request.startsWith("GET /f HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), request);
        assertTrue(request.contains("\r\nRange: bytes=0-4\r\n"), request);
    }

    @Test
    void chunkedBodyIsDecodedWithExtensionsAndTrailers() throws Exception {
        server = new ScriptedServer(request -> response("200 OK", "Transfer-Encoding: chunked\r\n",
                "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n"));
        OriginExchange ex = plain.send(server.uri("/c"), List.of(), new ActiveFetch());
        assertEquals("Wikipedia in\r\n\r\nchunks.", readAll(ex));
        ex.close();
        OriginExchange again = plain.send(server.uri("/c"), List.of(), new ActiveFetch());
        assertEquals("Wikipedia in\r\n\r\nchunks.", readAll(again));
        assertEquals(1, server.connections.get(), "chunked responses keep the connection");
    }

    @Test
    void bodyWithoutLengthEndsAtCloseAndTheConnectionIsNotReused() throws Exception {
        server = new ScriptedServer(request -> response("200 OK", "Connection: close\r\n", "until the end").concat("\u0000CLOSE"));
        OriginExchange ex = plain.send(server.uri("/x"), List.of(), new ActiveFetch());
        assertEquals("until the end", readAll(ex));
        plain.send(server.uri("/x"), List.of(), new ActiveFetch()).close();
        assertEquals(2, server.connections.get());
    }

    @Test
    void pooledConnectionClosedByTheOriginIsRetriedOnAFreshOne() throws Exception {
        AtomicInteger n = new AtomicInteger();
        // The first response claims keep-alive, then the server closes the socket anyway.
        server = new ScriptedServer(request -> n.incrementAndGet() == 1
                ? response("206 Partial Content", "Content-Length: 2\r\n", "ok") + "\u0000CLOSE"
                : response("206 Partial Content", "Content-Length: 2\r\n", "ok"));
        assertEquals("ok", readAll(plain.send(server.uri("/s"), List.of(), new ActiveFetch())));
        Thread.sleep(100);
        assertEquals("ok", readAll(plain.send(server.uri("/s"), List.of(), new ActiveFetch())));
        assertEquals(2, server.connections.get());
    }

    @Test
    void bodyCutShortEndsWithMinusOneAfterTheBytesThatCame() throws Exception {
        server = new ScriptedServer(request -> response("206 Partial Content", "Content-Length: 10\r\n", "abc") + "\u0000CLOSE");
        OriginExchange ex = plain.send(server.uri("/cut"), List.of(), new ActiveFetch());
        assertEquals("abc", readAll(ex));
    }

    @Test
    void continueResponsesAreSkipped() throws Exception {
        server = new ScriptedServer(request -> "HTTP/1.1 100 Continue\r\n\r\n"
                + response("206 Partial Content", "Content-Length: 1\r\n", "z"));
        OriginExchange ex = plain.send(server.uri("/z"), List.of(), new ActiveFetch());
        assertEquals(206, ex.status());
        assertEquals("z", readAll(ex));
    }

    @Test
    void garbageInsteadOfAStatusLineIsAnError() throws Exception {
        server = new ScriptedServer(request -> "SSH-2.0-OpenSSH\r\n\r\n");
        IOException e = assertThrows(IOException.class, () -> plain.send(server.uri("/g"), List.of(), new ActiveFetch()));
        assertTrue(e.getMessage().startsWith("not an HTTP/1.x status line"), e.getMessage());
    }

    @Test
    void abortingWakesABlockedRead() throws Exception {
        // Head and three bytes, then silence: the read blocks until the fetch is aborted.
        server = new ScriptedServer(request -> response("206 Partial Content", "Content-Length: 100\r\n", "abc") + "\u0000HANG");
        ActiveFetch active = new ActiveFetch();
        OriginExchange ex = plain.send(server.uri("/h"), List.of(), active);
        ByteBuffer buf = ByteBuffer.allocateDirect(100);
        assertEquals(3, ex.read(buf));
        Thread aborter = new Thread(() -> {
            sleep(200);
            active.abort(ActiveFetch.AbortReason.IDLE);
        });
        aborter.start();
        assertThrows(IOException.class, () -> ex.read(buf));
        aborter.join();
    }

    @Test
    void requestCarriesPathQueryHostAndHeadersInOrder() {
        byte[] r = PlainHttp.request(URI.create("http://example.org/a%20b?x=1&y=%2F"),
                List.of(Map.entry("Range", "bytes=0-9"), Map.entry("Authorization", "Bearer t")));
        assertArrayEquals(("GET /a%20b?x=1&y=%2F HTTP/1.1\r\nHost: example.org\r\nUser-Agent: p2pdl\r\n"
                + "Range: bytes=0-9\r\nAuthorization: Bearer t\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), r);
    }

    @Test
    void appliesOnlyToPlainHttpWithoutProxy() {
        HttpClient direct = HttpClient.newHttpClient();
        assertTrue(PlainHttp.applies(direct, URI.create("http://127.0.0.1:1/f")));
        assertFalse(PlainHttp.applies(direct, URI.create("https://127.0.0.1:1/f")));
        HttpClient proxied = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", 3128))).build();
        assertFalse(PlainHttp.applies(proxied, URI.create("http://example.org/f")));
    }

    private static String response(String status, String headers, String body) {
        return "HTTP/1.1 " + status + "\r\n" + headers + "\r\n" + body;
    }

    private static String readAll(OriginExchange ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocateDirect(3);
        while (true) {
            buf.clear();
            int n = ex.read(buf);
            if (n < 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            buf.flip();
            byte[] b = new byte[n];
            buf.get(b);
            out.write(b);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers each request head with the script's text; a trailing NUL plus {@code CLOSE} closes
     * the connection after writing, NUL plus {@code HANG} keeps it open and silent.
     */
    private static final class ScriptedServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        private final ServerSocket socket;
        private final Function<String, String> script;

        ScriptedServer(Function<String, String> script) throws IOException {
            this.script = script;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "scripted-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "scripted-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    requests.add(head);
                    String answer = script.apply(head);
                    int nul = answer.indexOf('\u0000');
                    out.write((nul < 0 ? answer : answer.substring(0, nul)).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (nul >= 0 && answer.endsWith("CLOSE")) {
                        return;
                    }
                    if (nul >= 0 && answer.endsWith("HANG")) {
                        Thread.sleep(30_000);
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // Connection over.
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                    return b.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
