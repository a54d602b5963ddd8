package io.p2pdl.fetch.testorigin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestOriginTest {

    private static final Content CONTENT = Content.pseudoRandom(42, 10_000);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestOrigin origin;

    @BeforeEach
    void start() {
        origin = TestOrigin.start();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin.url(path)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] slice(long first, long last) {
        return CONTENT.read(first, (int) (last - first + 1));
    }

    @Test
    void plainGetServesWholeContentWithLengthEtagAndAcceptRanges() throws Exception {
        origin.serve("/f", CONTENT);
        HttpResponse<byte[]> r = get("/f");
        assertEquals(200, r.statusCode());
        assertArrayEquals(CONTENT.readAll(), r.body());
        assertEquals(Optional.of("10000"), r.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), r.headers().firstValue("Accept-Ranges"));
        assertTrue(r.headers().firstValue("ETag").isPresent());
    }

    @Test
    void closedRangeIsServedAs206WithContentRange() throws Exception {
        origin.serve("/f", CONTENT);
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=100-199");
        assertEquals(206, r.statusCode());
        assertEquals(Optional.of("bytes 100-199/10000"), r.headers().firstValue("Content-Range"));
        assertArrayEquals(slice(100, 199), r.body());
    }

    @Test
    void openAndSuffixRangesAndLastPositionBeyondEndIsClamped() throws Exception {
        origin.serve("/f", CONTENT);
        assertArrayEquals(slice(9990, 9999), get("/f", "Range", "bytes=9990-").body());
        assertArrayEquals(slice(9995, 9999), get("/f", "Range", "bytes=-5").body());
        assertArrayEquals(CONTENT.readAll(), get("/f", "Range", "bytes=-20000").body());
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=9998-20000");
        assertEquals(Optional.of("bytes 9998-9999/10000"), r.headers().firstValue("Content-Range"));
    }

    @Test
    void rangeStartingAtOrBeyondEndIs416WithCompleteLength() throws Exception {
        origin.serve("/f", CONTENT);
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=10000-10001");
        assertEquals(416, r.statusCode());
        assertEquals(Optional.of("bytes */10000"), r.headers().firstValue("Content-Range"));
    }

    @Test
    void multipleRangesAreIgnoredWithFullBody() throws Exception {
        origin.serve("/f", CONTENT);
        assertEquals(200, get("/f", "Range", "bytes=0-1,5-6").statusCode());
    }

    @Test
    void ifRangeWithCurrentEtagGivesTheRangeAndAnOldOneTheWholeFile() throws Exception {
        origin.serve("/f", CONTENT).etag("\"v1\"");
        assertEquals(206, get("/f", "Range", "bytes=0-9", "If-Range", "\"v1\"").statusCode());
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=0-9", "If-Range", "\"v0\"");
        assertEquals(200, r.statusCode());
        assertEquals(10_000, r.body().length);
    }

    @Test
    void ifRangeWithLastModified() throws Exception {
        String date = "Wed, 25 Nov 2026 10:00:00 GMT";
        origin.serve("/f", CONTENT).etag(null).lastModified(date);
        assertEquals(206, get("/f", "Range", "bytes=0-9", "If-Range", date).statusCode());
        assertEquals(200, get("/f", "Range", "bytes=0-9", "If-Range", "Wed, 25 Nov 2026 09:00:00 GMT").statusCode());
    }

    @Test
    void ignoreRangeAnswers200WithoutAcceptRanges() throws Exception {
        origin.serve("/f", CONTENT).ignoreRange();
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=0-9");
        assertEquals(200, r.statusCode());
        assertEquals(10_000, r.body().length);
        assertTrue(r.headers().firstValue("Accept-Ranges").isEmpty());
    }

    @Test
    void noHeadAnswers405ToHeadButServesGet() throws Exception {
        origin.serve("/f", CONTENT).noHead();
        assertEquals(405, send("HEAD", "/f").statusCode());
        assertEquals(200, get("/f").statusCode());
    }

    @Test
    void headWithoutNoHeadSendsHeadersOnly() throws Exception {
        origin.serve("/f", CONTENT);
        HttpResponse<byte[]> r = send("HEAD", "/f");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("10000"), r.headers().firstValue("Content-Length"));
        assertEquals(0, origin.bodyBytesServed("/f"));
    }

    @Test
    void noLengthSendsChunkedBodyAndIgnoresRanges() throws Exception {
        origin.serve("/f", CONTENT).noLength();
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=0-9");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Length").isEmpty());
        assertEquals(Optional.of("chunked"), r.headers().firstValue("Transfer-Encoding"));
        assertArrayEquals(CONTENT.readAll(), r.body());
    }

    @Test
    void redirectFromPointsAtTheServedPath() throws Exception {
        origin.serve("/f", CONTENT).redirectFrom("/old", 302);
        HttpResponse<byte[]> r = get("/old");
        assertEquals(302, r.statusCode());
        assertEquals(Optional.of(origin.url("/f")), r.headers().firstValue("Location"));
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void changeEtagAfterRequestsChangesContentAndEtag() throws Exception {
        Behaviour b = origin.serve("/f", CONTENT).changeEtagAfterRequests(1);
        HttpResponse<byte[]> first = get("/f");
        HttpResponse<byte[]> second = get("/f");
        assertArrayEquals(CONTENT.readAll(), first.body());
        assertNotEquals(first.headers().firstValue("ETag"), second.headers().firstValue("ETag"));
        assertArrayEquals(CONTENT.changed().readAll(), second.body());
        assertArrayEquals(b.content().readAll(), second.body());
        assertEquals(200, get("/f", "Range", "bytes=0-9", "If-Range",
                first.headers().firstValue("ETag").orElseThrow()).statusCode());
    }

    @Test
    void cutAfterBytesClosesTheConnectionMidBodyForTheFirstResponses() throws Exception {
        origin.serve("/f", CONTENT).cutAfterBytes(100, 1);
        assertThrows(IOException.class, () -> get("/f"));
        assertEquals(100, origin.bodyBytesServed("/f"));
        assertArrayEquals(CONTENT.readAll(), get("/f").body());
    }

    @Test
    void statusAnswersTheFaultWithRetryAfterForTheFirstRequests() throws Exception {
        origin.serve("/f", CONTENT).status(503, 2, "7");
        HttpResponse<byte[]> r = get("/f");
        assertEquals(503, r.statusCode());
        assertEquals(Optional.of("7"), r.headers().firstValue("Retry-After"));
        assertEquals(503, get("/f").statusCode());
        assertEquals(200, get("/f").statusCode());
    }

    @Test
    void stallAfterBytesSendsNothingMoreButKeepsTheConnectionOpen() throws Exception {
        origin.serve("/f", CONTENT).stallAfterBytes(10, 1);
        try (Socket s = new Socket("127.0.0.1", origin.port())) {
            s.getOutputStream().write("GET /f HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertArrayEquals(slice(0, 9), in.readNBytes(10));
            s.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, in::read);
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        origin.serve("/f", CONTENT);
        try (Socket s = new Socket("127.0.0.1", origin.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("GET /f HTTP/1.1\r\nHost: x\r\nRange: bytes=" + i + "-" + i + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 206"), head);
                assertArrayEquals(slice(i, i), in.readNBytes(1));
            }
        }
        assertEquals(3, origin.requests("/f"));
    }

    @Test
    void delayPerResponseStillAnswers() throws Exception {
        origin.serve("/f", CONTENT).delayPerResponse(Duration.ofMillis(5));
        assertEquals(200, get("/f").statusCode());
    }

    @Test
    void countersCountBodiesAndRequestsAndReset() throws Exception {
        origin.serve("/f", CONTENT);
        origin.serve("/g", Content.bytes(new byte[] {1, 2, 3}));
        get("/f", "Range", "bytes=0-99", "X-Probe", "1");
        get("/g");
        assertEquals(103, origin.bodyBytesServed());
        assertEquals(100, origin.bodyBytesServed("/f"));
        assertEquals(1, origin.requests("/g"));
        assertEquals("1", origin.lastRequestHeaders("/f").get("x-probe"));
        origin.resetCounters();
        assertEquals(0, origin.bodyBytesServed());
        assertEquals(0, origin.requests("/f"));
    }

    @Test
    void pseudoRandomContentIsAFunctionOfOffsetBeyond4GiB() {
        Content big = Content.pseudoRandom(7, 6L << 30);
        long off = (5L << 30) + 3;
        byte[] whole = big.read(off - 3, 64);
        assertArrayEquals(Arrays.copyOfRange(whole, 3, 64), big.read(off, 61));
        assertArrayEquals(whole, Content.pseudoRandom(7, 6L << 30).read(off - 3, 64));
        assertNotEquals(Arrays.toString(whole), Arrays.toString(Content.pseudoRandom(8, 6L << 30).read(off - 3, 64)));
    }

    @Test
    void sha256OfContentMatchesTheBytes() throws Exception {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Content.bytes(data).sha256Hex());
        var md = java.security.MessageDigest.getInstance("SHA-256");
        assertEquals(java.util.HexFormat.of().formatHex(md.digest(CONTENT.readAll())), CONTENT.sha256Hex());
    }

    @Test
    void faultsAfterRequestsSparesTheFirstRequests() throws Exception {
        origin.serve("/f", CONTENT).status(500, 1).cutAfterBytes(10, 1).faultsAfterRequests(1);
        assertEquals(200, get("/f").statusCode());
        assertEquals(500, get("/f").statusCode());
        assertThrows(IOException.class, () -> get("/f"));
        assertEquals(200, get("/f").statusCode());
    }

    @Test
    void resetMidBodyResetsTheConnectionInsideTheBody() throws Exception {
        origin.serve("/f", CONTENT).resetMidBody(1, 3);
        assertThrows(IOException.class, () -> get("/f"));
        assertTrue(origin.bodyBytesServed("/f") < CONTENT.size());
        assertArrayEquals(CONTENT.readAll(), get("/f").body());
    }

    @Test
    void dripSendsTheWholeBodySlowlyAfterTheFastPart() throws Exception {
        origin.serve("/f", CONTENT).drip(9_900, 1_000, 1);
        assertArrayEquals(CONTENT.readAll(), get("/f").body());
        // A body not longer than the fast part does not use up the drip.
        origin.serve("/g", CONTENT).drip(9_900, 1_000, 1);
        assertArrayEquals(slice(0, 0), get("/g", "Range", "bytes=0-0").body());
        try (Socket s = new Socket("127.0.0.1", origin.port())) {
            s.getOutputStream().write("GET /g HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            readHead(in);
            assertArrayEquals(slice(0, 9_899), in.readNBytes(9_900));
            assertArrayEquals(slice(9_900, 9_999), in.readNBytes(100));
        }
    }

    @Test
    void wrongContentRangeIsOneByteOffForTheFirstResponses() throws Exception {
        origin.serve("/f", CONTENT).wrongContentRange(1);
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=100-199");
        assertEquals(Optional.of("bytes 101-200/10000"), r.headers().firstValue("Content-Range"));
        assertArrayEquals(slice(100, 199), r.body());
        assertEquals(Optional.of("bytes 100-199/10000"),
                get("/f", "Range", "bytes=100-199").headers().firstValue("Content-Range"));
    }

    @Test
    void multipartRangesWrapsTheRangeInOnePart() throws Exception {
        origin.serve("/f", CONTENT).multipartRanges(1);
        HttpResponse<byte[]> r = get("/f", "Range", "bytes=0-9");
        assertEquals(206, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("multipart/byteranges"));
        assertTrue(r.headers().firstValue("Content-Range").isEmpty());
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("Content-Range: bytes 0-9/10000"), body);
        assertEquals(r.body().length, Integer.parseInt(r.headers().firstValue("Content-Length").orElseThrow()));
        assertEquals(Optional.of("bytes 0-9/10000"), get("/f", "Range", "bytes=0-9").headers().firstValue("Content-Range"));
    }

    @Test
    void headLengthMakesHeadDisagreeWithGet() throws Exception {
        origin.serve("/f", CONTENT).headLength(123);
        assertEquals(Optional.of("123"), send("HEAD", "/f").headers().firstValue("Content-Length"));
        assertEquals(10_000, get("/f").body().length);
    }

    @Test
    void shrinkAfterRequestsCutsTheFileAndRangesBeyondGet416() throws Exception {
        origin.serve("/f", CONTENT).etag(null).shrinkAfterRequests(1, 5_000);
        assertEquals(206, get("/f", "Range", "bytes=9000-9999").statusCode());
        assertEquals(416, get("/f", "Range", "bytes=9000-9999").statusCode());
        assertArrayEquals(slice(0, 4_999), get("/f").body());
    }

    @Test
    void signedRedirectExpiresItsSignatureAfterSomeGets() throws Exception {
        origin.serve("/t", CONTENT).signedRedirectFrom("/s", 2);
        HttpResponse<byte[]> redirect = get("/s");
        assertEquals(302, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("/t?sig=1"), location);
        String signed = "/t?sig=1";
        assertEquals(200, get(signed).statusCode());
        assertEquals(200, get(signed).statusCode());
        assertEquals(403, get(signed).statusCode());
        assertEquals(403, get("/t").statusCode());
        assertTrue(get("/s").headers().firstValue("Location").orElseThrow().endsWith("/t?sig=2"));
        assertEquals(200, get("/t?sig=2").statusCode());
    }

    @Test
    void requestHeaderValuesListsEveryRequestsValue() throws Exception {
        origin.serve("/f", CONTENT);
        get("/f", "If-Range", "\"a\"");
        get("/f");
        get("/f", "If-Range", "\"b\"");
        assertEquals(java.util.List.of("\"a\"", "\"b\""), origin.requestHeaderValues("/f", "If-Range"));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in head: " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
