package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.StatusRuntimeException;
import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.e2e.support.Services;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.e2e.support.TestDirs;
import io.p2pdl.fetch.testorigin.Behaviour;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-origin matrix. One coordinator and two worker processes, started once for the class,
 * download a small file from an origin that misbehaves in one way per case. Every case has one
 * defined outcome: COMPLETED with exactly the origin's bytes, FAILED with a named reason, or a
 * submit refused with a named reason; never COMPLETED with other bytes.
 *
 * <p>The cluster runs without endgame duplicates, so the only way out of a crawling connection is
 * the workers' lowest-speed limit (32 KiB/s over 2 s here), and "completes" in the drip case
 * proves that limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileOriginTest {

    private static final long MIB = 1L << 20;
    /** Three full 1 MiB chunks and a short tail. */
    private static final long SIZE = 3 * MIB + 12_345;
    private static final String LAST_MODIFIED = "Wed, 25 Nov 2026 10:00:00 GMT";

    private static TestOrigin origin;
    private static Services cluster;
    private static AdminClient admin;
    private static Path data;
    private static final List<ServiceProcess> workers = new ArrayList<>();
    private static final AtomicInteger names = new AtomicInteger();

    /** What a case must end with. */
    private enum Ending { COMPLETED, FAILED, REFUSED }

    /**
     * One prepared case: the URL to submit, the bytes the file must hold when it completes, the
     * expected ending and reason, and extra checks on the submitted and final views.
     */
    private record Plan(String url, Content content, Ending ending, FailureReason reason, Check check) {
    }

    /** Extra assertions of a completed case. */
    private interface Check {
        void verify(Download submitted, Download done) throws IOException;
    }

    /** Sets up the origin for one case. */
    private interface Scenario extends Function<String, Plan> {
    }

    @BeforeAll
    static void startCluster(TestInfo info) {
        origin = TestOrigin.start();
        Path dir = TestDirs.fresh(info);
        cluster = new Services(dir);
        int port = FreePorts.next();
        data = dir.resolve("data");
        cluster.coordinator(port, data, dir.resolve("state"), "-Dp2pdl.coordinator.endgame-max-duplicates=0");
        for (int i = 0; i < 2; i++) {
            workers.add(cluster.worker(List.of("--coordinator", "127.0.0.1:" + port), 4,
                    "-Dp2pdl.worker.lowest-speed=32768", "-Dp2pdl.worker.lowest-speed-window=2S"));
        }
        admin = new AdminClient(port);
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                // ---- the right bytes, whatever the origin does
                completes("ignores Range: one stream, not resumable", b -> b.ignoreRange(),
                        (s, d) -> {
                            assertFalse(s.getResumable(), "resumable although ranges are ignored");
                            assertTrue(s.getMessage().contains("single stream"), s.getMessage());
                        }),
                completes("announces another length on HEAD than it serves", b -> b.headLength(17), none()),
                // We send Accept-Encoding: identity; an origin that labels its bytes gzip anyway
                // gets them saved as sent, like curl without --compressed: the file is the
                // representation's bytes, in one stream (a coded 206 is never used as chunk data).
                completes("labels bytes Content-Encoding gzip despite identity", b -> b.contentEncoding("gzip"),
                        (s, d) -> {
                            assertFalse(s.getResumable(), "a gzip-labelled origin was chunked");
                            assertTrue(s.getMessage().contains("Content-Encoding gzip"), s.getMessage());
                        }),
                redirectChain("redirects 301, 302, 307, 308 in a chain", 301, 302, 307, 308),
                redirectChain("redirects exactly 10 times", 301, 302, 307, 308, 301, 302, 307, 308, 302, 302),
                signedUrl(),
                signedUrlResolvingToAnotherVersion(),
                completes("sends a weak ETag and Last-Modified: If-Range uses Last-Modified",
                        b -> b.etag("W/\"weak-1\"").lastModified(LAST_MODIFIED),
                        ifRangeIs(LAST_MODIFIED)),
                completes("sends only a weak ETag: no If-Range at all", b -> b.etag("W/\"weak-2\""), (s, d) -> {
                    ifRangeIs(null).verify(s, d);
                    assertTrue(s.getMessage().contains("only a weak ETag"), s.getMessage());
                }),
                completes("sends only Last-Modified", b -> b.etag(null).lastModified(LAST_MODIFIED),
                        ifRangeIs(LAST_MODIFIED)),
                completes("sends no validator at all", b -> b.etag(null),
                        (s, d) -> assertTrue(s.getMessage().contains("no ETag or Last-Modified"), s.getMessage())),
                completes("answers 206 with a Content-Range one byte off, 3 times",
                        b -> b.wrongContentRange(3).faultsAfterRequests(1), retried(3)),
                completes("resets connections mid-body at random, 6 times",
                        b -> b.resetMidBody(6, 42).faultsAfterRequests(1), retried(6)),
                completes("cuts bodies short (206 closed early), 3 times",
                        b -> b.cutAfterBytes(200_000, 3).faultsAfterRequests(1), retried(3)),
                completes("answers multipart/byteranges, 3 times",
                        b -> b.multipartRanges(3).faultsAfterRequests(1), retried(3)),
                completes("always answers multipart/byteranges: one stream", b -> b.multipartRanges(1_000_000),
                        (s, d) -> assertFalse(s.getResumable(), "a multipart origin was chunked")),
                completes("answers 429 with Retry-After 1, 4 times",
                        b -> b.status(429, 4, "1").faultsAfterRequests(1), retried(4)),
                completes("answers 503 without Retry-After, 4 times",
                        b -> b.status(503, 4).faultsAfterRequests(1), retried(4)),
                completes("answers a burst of 6 500s", b -> b.status(500, 6).faultsAfterRequests(1), retried(6)),
                completes("answers the probe 429 twice", b -> b.status(429, 2, "1"), none()),
                completes("drips one connection at 2 KB/s (lowest-speed reassigns the chunk)",
                        b -> b.drip(64 * 1024, 2_000, 1).faultsAfterRequests(1), (s, d) -> {
                            assertTrue(workerLogsContain(s.getId(), "lowest-speed"),
                                    "no worker released a chunk of " + s.getId() + " for its lowest speed");
                        }),
                Arguments.of(Named.of("serves a zero-byte file", (Scenario) name -> {
                    Content empty = Content.bytes(new byte[0]);
                    origin.serve("/" + name, empty);
                    return new Plan(origin.url("/" + name), empty, Ending.COMPLETED, null,
                            (s, d) -> assertEquals(0, d.getSizeBytes()));
                })),
                // ---- a defined failure
                fails("changes Last-Modified and bytes mid-download (no ETag)", FailureReason.ORIGIN_CHANGED,
                        b -> b.etag(null).lastModified(LAST_MODIFIED).changeEtagAfterRequests(2)),
                fails("shrinks mid-download without validators (416)", FailureReason.ORIGIN_CHANGED,
                        b -> b.etag(null).shrinkAfterRequests(1, MIB)),
                fails("answers 404 from the second request on", FailureReason.ORIGIN_NOT_FOUND,
                        b -> b.status(404, 1_000_000).faultsAfterRequests(1)),
                fails("answers 403 from the second request on", FailureReason.ORIGIN_FORBIDDEN,
                        b -> b.status(403, 1_000_000).faultsAfterRequests(1)),
                // ---- refused at submit
                refused("answers 410", FailureReason.ORIGIN_NOT_FOUND, b -> b.status(410, 1_000_000)),
                refused("answers 401", FailureReason.ORIGIN_FORBIDDEN, b -> b.status(401, 1_000_000)),
                refused("answers 403", FailureReason.ORIGIN_FORBIDDEN, b -> b.status(403, 1_000_000)),
                refused("answers 503 with Retry-After 1 for good", FailureReason.ORIGIN_UNREACHABLE,
                        b -> b.status(503, 1_000_000, "1")),
                Arguments.of(Named.of("redirects in a loop", (Scenario) name -> {
                    origin.redirect("/" + name + "-a", "/" + name + "-b", 302);
                    origin.redirect("/" + name + "-b", "/" + name + "-a", 307);
                    return new Plan(origin.url("/" + name + "-a"), null, Ending.REFUSED,
                            FailureReason.ORIGIN_BAD_RESPONSE, none());
                })),
                Arguments.of(Named.of("redirects 11 times", (Scenario) name -> {
                    Plan ok = redirectPlan(name, 301, 302, 307, 308, 301, 302, 307, 308, 301, 302, 307);
                    return new Plan(ok.url(), null, Ending.REFUSED, FailureReason.ORIGIN_BAD_RESPONSE, none());
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("origins")
    void originThat(Scenario scenario) throws IOException {
        String name = "case-" + names.incrementAndGet();
        Plan plan = scenario.apply(name);
        String output = name + ".bin";
        Download submitted;
        try {
            submitted = admin.submit(plan.url(), output, 0);
        } catch (StatusRuntimeException e) {
            String description = String.valueOf(e.getStatus().getDescription());
            assertEquals(Ending.REFUSED, plan.ending(), "submit refused: " + e.getStatus());
            assertTrue(description.startsWith(plan.reason().name() + ":"),
                    "refusal names " + plan.reason() + ": " + e.getStatus());
            assertFalse(Files.exists(data.resolve(output)), "a file exists for a refused submit");
            return;
        }
        if (plan.ending() == Ending.REFUSED) {
            fail("submit accepted, expected a refusal with " + plan.reason() + ": " + submitted);
        }
        Download end = Await.until("download " + submitted.getId() + " ends", Await.LONG,
                () -> admin.get(submitted.getId()),
                d -> d.getState() == DownloadState.COMPLETED || d.getState() == DownloadState.FAILED);
        Path file = data.resolve(output);
        if (plan.ending() == Ending.FAILED) {
            assertEquals(DownloadState.FAILED, end.getState(), "expected FAILED with " + plan.reason() + ": " + end);
            assertEquals(plan.reason(), end.getFailureReason(), end.getMessage());
            assertFalse(Files.exists(file), "a final file exists for a failed download");
            plan.check().verify(submitted, end);
            return;
        }
        assertEquals(DownloadState.COMPLETED, end.getState(),
                "expected COMPLETED: " + end.getFailureReason() + " " + end.getMessage());
        String expected = plan.content().sha256Hex();
        assertEquals(expected, Sha256.of(file), "SHA-256 of the downloaded file");
        assertEquals(expected, end.getSha256(), "sha256 reported by the coordinator");
        plan.check().verify(submitted, end);
        Files.delete(file);
    }

    // ---------------------------------------------------------------- case builders

    private static Arguments completes(String what, Function<Behaviour, Behaviour> faults, Check check) {
        return Arguments.of(Named.of(what, (Scenario) name -> {
            Content content = Content.pseudoRandom(name.hashCode(), SIZE);
            faults.apply(origin.serve("/" + name, content));
            return new Plan(origin.url("/" + name), content, Ending.COMPLETED, null, check);
        }));
    }

    private static Arguments fails(String what, FailureReason reason, Function<Behaviour, Behaviour> faults) {
        return Arguments.of(Named.of(what + " -> " + reason, (Scenario) name -> {
            faults.apply(origin.serve("/" + name, Content.pseudoRandom(name.hashCode(), SIZE)));
            return new Plan(origin.url("/" + name), null, Ending.FAILED, reason, none());
        }));
    }

    private static Arguments refused(String what, FailureReason reason, Function<Behaviour, Behaviour> faults) {
        return Arguments.of(Named.of(what + " -> refused " + reason, (Scenario) name -> {
            faults.apply(origin.serve("/" + name, Content.pseudoRandom(name.hashCode(), SIZE)));
            return new Plan(origin.url("/" + name), null, Ending.REFUSED, reason, none());
        }));
    }

    private static Arguments redirectChain(String what, int... codes) {
        return Arguments.of(Named.of(what, (Scenario) name -> redirectPlan(name, codes)));
    }

    /** {@code /name-0} redirects to {@code /name-1} ... to the file at {@code /name}, with these codes. */
    private static Plan redirectPlan(String name, int... codes) {
        Content content = Content.pseudoRandom(name.hashCode(), SIZE);
        String target = "/" + name;
        origin.serve(target, content);
        for (int i = codes.length - 1; i >= 0; i--) {
            String to = i == codes.length - 1 ? target : "/" + name + "-" + (i + 1);
            origin.redirect("/" + name + "-" + i, to, codes[i]);
        }
        return new Plan(origin.url("/" + name + "-0"), content, Ending.COMPLETED, null, none());
    }

    /**
     * A redirector hands out signed URLs; the signature expires after the probe and two chunks.
     * The workers' 403 makes the coordinator resolve the submitted URL again (same validator), and
     * the download continues with the fresh signature.
     */
    private static Arguments signedUrl() {
        return Arguments.of(Named.of("serves a signed URL that expires mid-download (403, re-resolved)",
                (Scenario) name -> {
                    Content content = Content.pseudoRandom(name.hashCode(), SIZE);
                    String target = "/" + name;
                    origin.serve(target, content).signedRedirectFrom(target + "-signer", 3);
                    return new Plan(origin.url(target + "-signer"), content, Ending.COMPLETED, null, (s, d) -> {
                        assertTrue(origin.requests(target + "-signer") >= 2,
                                "the submitted URL was not resolved again after the signature expired");
                    });
                }));
    }

    /**
     * Like {@link #signedUrl()}, but the file changes exactly when the URL is resolved again (the
     * probe, two chunks, then the re-resolving probe is the fourth GET that reaches the file): the
     * validator no longer matches, so the download fails instead of continuing with other bytes.
     */
    private static Arguments signedUrlResolvingToAnotherVersion() {
        return Arguments.of(Named.of("serves a signed URL that expires and resolves to another version -> "
                + FailureReason.ORIGIN_CHANGED, (Scenario) name -> {
                    String target = "/" + name;
                    origin.serve(target, Content.pseudoRandom(name.hashCode(), SIZE))
                            .signedRedirectFrom(target + "-signer", 3).changeEtagAfterRequests(3);
                    return new Plan(origin.url(target + "-signer"), null, Ending.FAILED, FailureReason.ORIGIN_CHANGED,
                            (s, d) -> assertTrue(origin.requests(target + "-signer") >= 2,
                                    "the submitted URL was not resolved again after the signature expired"));
                }));
    }

    private static Check none() {
        return (s, d) -> {
        };
    }

    /** Every If-Range the origin saw equals {@code value}; {@code null}: none was sent. */
    private static Check ifRangeIs(String value) {
        return (s, d) -> {
            String path = "/" + pathOf(s);
            List<String> seen = origin.requestHeaderValues(path, "If-Range");
            if (value == null) {
                assertEquals(List.of(), seen, "If-Range sent although the only ETag is weak");
            } else {
                assertFalse(seen.isEmpty(), "no If-Range sent");
                seen.forEach(v -> assertEquals(value, v, "If-Range must use a strong validator"));
            }
        };
    }

    /** The origin saw at least the chunks plus the probe plus {@code faults} failed requests. */
    private static Check retried(int faults) {
        return (s, d) -> {
            int chunks = (int) d.getChunksTotal();
            int requests = origin.requests("/" + pathOf(s));
            assertTrue(requests >= 1 + chunks + faults, "origin saw only " + requests
                    + " requests: the faults were not hit (" + chunks + " chunks, " + faults + " faults)");
        };
    }

    /** The origin path of a case: its output name without {@code .bin}. */
    private static String pathOf(Download d) {
        return d.getOutputName().replace(".bin", "");
    }

    private static boolean workerLogsContain(String downloadId, String text) {
        for (ServiceProcess w : workers) {
            try {
                for (String line : Files.readAllLines(w.log(), StandardCharsets.UTF_8)) {
                    if (line.contains(downloadId) && line.contains(text)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return false;
    }
}
