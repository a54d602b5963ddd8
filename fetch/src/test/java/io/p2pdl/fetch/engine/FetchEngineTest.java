package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.StaticDiscovery;
import io.p2pdl.fetch.origin.Cidr;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.testorigin.Behaviour;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.Header;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.Validator;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FetchEngineTest {

    private static final String ETAG = "\"v1\"";
    private final HttpClient http = OriginHttp.newClient(
            new OriginHttpOptions(Duration.ofSeconds(5), Optional.empty(), Map.of()));
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestOrigin origin;
    private FakeCoordinator coordinator;

    @BeforeEach
    void start() {
        origin = TestOrigin.start();
        coordinator = new FakeCoordinator();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        coordinator.close();
        origin.close();
    }

    /** The test origin listens on loopback, which the default origin policy refuses. */
    private static final OriginAddressPolicy LOOPBACK_ALLOWED = OriginAddressPolicy.of(
            List.of(Cidr.parse("127.0.0.0/8")), OriginAddressPolicy.WORKER_KEY);

    private static FetchEngineOptions options(int concurrency, int attempts, Duration requestTimeout, Duration drain) {
        return new FetchEngineOptions("w1", concurrency, Duration.ofMillis(50), attempts, requestTimeout, drain)
                .withOriginPolicy(LOOPBACK_ALLOWED);
    }

    private FetchEngine engine(FetchEngineOptions o, FetchListener listener, CoordinatorTarget... targets) {
        FetchEngine e = new FetchEngine(o, new StaticDiscovery(List.of(targets)), http, listener);
        closeables.add(e);
        e.start();
        return e;
    }

    private FetchEngine engine(int attempts) {
        return engine(options(2, attempts, Duration.ofSeconds(10), Duration.ofSeconds(5)), FetchListener.NONE,
                coordinator.target());
    }

    private static List<ChunkLease> leases(String url, long size, long chunk, long ttlMs, Header... headers) {
        List<ChunkLease> out = new ArrayList<>();
        for (long off = 0, i = 0; off < size; off += chunk, i++) {
            out.add(ChunkLease.newBuilder()
                    .setLeaseId("lease-" + i).setDownloadId("d1").setChunkIndex(i)
                    .setOffset(off).setLength(Math.min(chunk, size - off)).setUrl(url)
                    .setValidator(Validator.newBuilder().setEtag(ETAG))
                    .addAllHeaders(List.of(headers))
                    .setTtlMs(ttlMs).setExpiresAtUnixMs(System.currentTimeMillis() + ttlMs)
                    .build());
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private ReleaseChunkRequest awaitOneRelease() throws InterruptedException {
        await(() -> !coordinator.releases.isEmpty(), "a chunk is released");
        return coordinator.releases.get(0);
    }

    @Test
    void chunksAreFetchedStreamedAndReassembledExactly() throws Exception {
        Content content = Content.pseudoRandom(3, 2_000_003);
        origin.serve("/f", content).etag(ETAG);
        List<ChunkLease> leases = leases(origin.url("/f"), content.size(), 600_000, 60_000,
                Header.newBuilder().setName("Authorization").setValue("Bearer secret").build());
        coordinator.offer(leases);
        AtomicLong fetched = new AtomicLong();
        AtomicLong transferred = new AtomicLong();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        FetchListener listener = new FetchListener() {
            @Override
            public void bytesFetched(long n) {
                fetched.addAndGet(n);
            }

            @Override
            public void bytesTransferred(long n) {
                transferred.addAndGet(n);
            }

            @Override
            public void chunkFinished(String outcome, long nanos) {
                outcomes.add(outcome);
            }
        };
        FetchEngine engine = engine(options(3, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), listener,
                coordinator.target());

        await(() -> coordinator.accepted.size() == leases.size(), "all chunks are accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
        assertEquals(List.of(), coordinator.protocolErrors);
        assertEquals(content.size(), fetched.get());
        assertEquals(content.size(), transferred.get());
        await(() -> outcomes.size() == leases.size() && engine.inFlight() == 0, "all leases end");
        assertEquals(List.of("accepted"), outcomes.stream().distinct().toList());
        Map<String, String> sent = origin.lastRequestHeaders("/f");
        assertEquals("identity", sent.get("Accept-Encoding"));
        assertEquals(ETAG, sent.get("If-Range"));
        assertEquals("Bearer secret", sent.get("Authorization"));
        assertEquals(List.of(coordinator.target()), engine.knownCoordinators());
    }

    @Test
    void aSlotFetchesItsNextChunkWhileTheCoordinatorChecksTheLastOne() throws Exception {
        Content content = Content.pseudoRandom(5, 200_000);
        origin.serve("/f", content).etag(ETAG);
        coordinator.offer(leases(origin.url("/f"), content.size(), 100_000, 60_000));
        CountDownLatch gate = new CountDownLatch(1);
        coordinator.holdVerdictsUntil(gate);
        // A verdict may take 2 minutes, longer than await() waits: only overlapping can pass.
        FetchEngine engine = engine(options(1, 3, Duration.ofSeconds(120), Duration.ofSeconds(5)), FetchListener.NONE,
                coordinator.target());
        // One fetch at a time: chunk 1 can only be fetched and sent while chunk 0 awaits its verdict.
        await(() -> coordinator.headersSeen.get() == 2, "the second chunk's transfer begins");
        assertEquals(2, origin.requests("/f"), "each chunk is fetched once");
        gate.countDown();
        await(() -> coordinator.accepted.size() == 2 && engine.inFlight() == 0, "both chunks are accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
    }

    @Test
    void aSlotLeasesItsNextChunkWhileItsBodyEndsAndRequestsItOnlyAfter() throws Exception {
        Content content = Content.pseudoRandom(6, 200_000);
        // The first body's last 5 KB arrive at 2 KB/s: the chunk after it is leased meanwhile.
        origin.serve("/f", content).etag(ETAG).drip(95_000, 2_000, 1);
        coordinator.offer(leases(origin.url("/f"), content.size(), 100_000, 60_000));
        FetchEngine engine = engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), FetchListener.NONE,
                coordinator.target());

        await(() -> coordinator.queued() == 0, "the second chunk is leased");
        long served = origin.bodyBytesServed("/f");
        int requests = origin.requests("/f");
        await(() -> coordinator.accepted.size() == 2 && engine.inFlight() == 0, "both chunks are accepted");

        assertTrue(served < 100_000, "leased only after the first body ended: " + served + " bytes served");
        assertEquals("ahead/0", coordinator.asks.get(1), "the successor asks ahead, without a long poll");
        assertEquals(1, requests, "one body at a time: the second request waits for the first body");
        assertEquals(2, origin.requests("/f"));
        assertArrayEquals(content.readAll(), coordinator.assembled());
    }

    @Test
    void aSuccessorThatFindsNoWorkLeavesTheSlotsPermitInPlay() throws Exception {
        Content content = Content.pseudoRandom(8, 200_000);
        origin.serve("/f", content).etag(ETAG).drip(95_000, 2_000, 1);
        List<ChunkLease> leases = leases(origin.url("/f"), content.size(), 100_000, 60_000);
        coordinator.offer(leases.subList(0, 1));
        FetchEngine engine = engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), FetchListener.NONE,
                coordinator.target());
        await(() -> coordinator.getChunkCalls.get() >= 2, "the slot's successor asks");
        assertTrue(origin.bodyBytesServed("/f") < 100_000, "the successor asked while the body dripped, and got NoWork");
        await(() -> coordinator.accepted.size() == 1 && engine.inFlight() == 0, "the first chunk is accepted");

        coordinator.offer(leases.subList(1, 2));
        engine.wake();

        // With one slot, a permit lost to the successor would leave nobody to fetch it.
        await(() -> coordinator.accepted.size() == 2, "the second chunk is fetched too");
        assertArrayEquals(content.readAll(), coordinator.assembled());
    }

    @Test
    void changedFileIsReleasedAsChangedWithoutRetrying() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 100_000)).etag(ETAG).changeEtagAfterRequests(0);
        coordinator.offer(leases(origin.url("/f"), 100_000, 100_000, 60_000));
        engine(3);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.CHANGED, r.getFailure().getKind());
        assertEquals(200, r.getFailure().getHttpStatus());
        assertEquals("w1", r.getWorkerId());
        assertEquals("lease-0", r.getLeaseId());
        assertEquals(1, origin.requests("/f"));
        assertTrue(coordinator.accepted.isEmpty());
    }

    @Test
    void validatorMismatchOn206IsChanged() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).etag(null).lastModified("Wed, 25 Nov 2026 10:00:00 GMT");
        coordinator.offer(List.of(leases(origin.url("/f"), 1000, 1000, 60_000).get(0).toBuilder()
                .setValidator(Validator.newBuilder().setLastModified("Wed, 25 Nov 2026 09:00:00 GMT")
                        .setEtag("W/\"x\"").setEtagWeak(true))
                .build()));
        engine(3);

        assertEquals(FetchFailureKind.CHANGED, awaitOneRelease().getFailure().getKind());
    }

    @Test
    void missingFileIsReleasedAsNotFound() throws Exception {
        coordinator.offer(leases(origin.url("/gone"), 1000, 1000, 60_000));
        engine(3);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.NOT_FOUND, r.getFailure().getKind());
        assertEquals(404, r.getFailure().getHttpStatus());
        assertEquals(1, origin.requests("/gone"));
    }

    @Test
    void loopbackOriginIsRefusedByTheDefaultPolicyWithoutAnyRequest() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).etag(ETAG);
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5))
                .withOriginPolicy(OriginAddressPolicy.strict(OriginAddressPolicy.WORKER_KEY)), FetchListener.NONE,
                coordinator.target());

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.ADDRESS_REFUSED, r.getFailure().getKind());
        assertEquals("origin host 127.0.0.1 resolves to a loopback address (127.0.0.1); allow it with"
                + " --allow-origin-cidr 127.0.0.0/8 or p2pdl.worker.origins.allowed-cidrs", r.getFailure().getMessage());
        assertEquals(0, origin.requests("/f"));
        assertEquals(1, coordinator.releases.size());
    }

    @Test
    void hostResolvingToAMetadataAddressIsRefusedWhateverTheAllowList() throws Exception {
        // Fake DNS: the name resolves to a public address and to the metadata service.
        OriginAddressPolicy everything = OriginAddressPolicy.of(
                List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")), OriginAddressPolicy.WORKER_KEY)
                .withResolver(host -> new java.net.InetAddress[] {
                    java.net.InetAddress.getByName("93.184.215.14"),
                    java.net.InetAddress.getByName("::ffff:169.254.169.254")});
        coordinator.offer(leases("http://rebound.test:" + origin.port() + "/f", 1000, 1000, 60_000));
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)).withOriginPolicy(everything),
                FetchListener.NONE, coordinator.target());

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.ADDRESS_REFUSED, r.getFailure().getKind());
        assertEquals("origin host rebound.test resolves to 169.254.169.254, which is a link-local/metadata address"
                + " and is never fetched", r.getFailure().getMessage());
    }

    @Test
    void workersNeverFollowRedirects() throws Exception {
        origin.serve("/real", Content.pseudoRandom(1, 1000)).etag(ETAG).redirectFrom("/start", 302);
        coordinator.offer(leases(origin.url("/start"), 1000, 1000, 60_000));
        engine(2);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.BAD_RESPONSE, r.getFailure().getKind());
        assertEquals(302, r.getFailure().getHttpStatus());
        assertEquals(0, origin.requests("/real"), "the redirect target is never requested");
    }

    @Test
    void forbiddenIsReleasedAtOnce() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).status(403, 10);
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        engine(3);

        assertEquals(FetchFailureKind.FORBIDDEN, awaitOneRelease().getFailure().getKind());
        assertEquals(1, origin.requests("/f"));
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfterThenReleasedAsThrottled() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).etag(ETAG).status(503, 10, "1");
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        engine(2);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.THROTTLED, r.getFailure().getKind());
        assertEquals(503, r.getFailure().getHttpStatus());
        assertEquals(1000, r.getFailure().getRetryAfterMs());
        assertEquals(2, origin.requests("/f"));
    }

    @Test
    void retryAfterBeyondTheLeaseReleasesAtOnce() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).status(429, 10, "120");
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 5_000));
        engine(3);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.THROTTLED, r.getFailure().getKind());
        assertEquals(120_000, r.getFailure().getRetryAfterMs());
        assertEquals(1, origin.requests("/f"));
    }

    @Test
    void serverErrorsAreRetriedThenReleasedAsTransient() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 1000)).status(500, 10);
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        engine(2);

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.TRANSIENT, r.getFailure().getKind());
        assertEquals(500, r.getFailure().getHttpStatus());
        assertEquals(2, origin.requests("/f"));
    }

    @Test
    void transientErrorThenSuccessDeliversTheChunk() throws Exception {
        Content content = Content.pseudoRandom(1, 1000);
        origin.serve("/f", content).etag(ETAG).status(502, 1);
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        engine(3);

        await(() -> coordinator.accepted.size() == 1, "the chunk is accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
        assertTrue(coordinator.releases.isEmpty());
    }

    @Test
    void originIgnoringRangeOrEncodingBodyIsABadResponseNeverData() throws Exception {
        origin.serve("/a", Content.pseudoRandom(1, 1000)).etag(null).ignoreRange();
        origin.serve("/b", Content.pseudoRandom(1, 1000)).etag(ETAG).contentEncoding("gzip");
        List<ChunkLease> leases = new ArrayList<>();
        leases.add(leases(origin.url("/a"), 1000, 500, 60_000).get(1).toBuilder()
                .setValidator(Validator.getDefaultInstance()).build());
        leases.add(leases(origin.url("/b"), 1000, 500, 60_000).get(0).toBuilder().setLeaseId("b").build());
        coordinator.offer(leases);
        engine(1);

        await(() -> coordinator.releases.size() == 2, "both chunks are released");
        for (ReleaseChunkRequest r : coordinator.releases) {
            assertEquals(FetchFailureKind.BAD_RESPONSE, r.getFailure().getKind(), r.getFailure().getMessage());
        }
        assertTrue(coordinator.accepted.isEmpty());
    }

    @Test
    void cutConnectionIsRetriedWithAFreshTransfer() throws Exception {
        Content content = Content.pseudoRandom(9, 700_000);
        origin.serve("/f", content).etag(ETAG).cutAfterBytes(300_000, 1);
        coordinator.offer(leases(origin.url("/f"), content.size(), content.size(), 60_000));
        engine(3);

        await(() -> coordinator.accepted.size() == 1, "the chunk is accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
        assertEquals(2, origin.requests("/f"));
        await(() -> coordinator.cancelledTransfers.get() == 1, "the broken transfer was cancelled");
        assertEquals(List.of(), coordinator.protocolErrors);
    }

    @Test
    void stalledOriginIsAbandonedAfterTheReadIdleTimeoutAndRetried() throws Exception {
        Content content = Content.pseudoRandom(9, 100_000);
        origin.serve("/f", content).etag(ETAG).stallAfterBytes(1000, 1);
        coordinator.offer(leases(origin.url("/f"), content.size(), content.size(), 60_000));
        engine(options(1, 3, Duration.ofMillis(300), Duration.ofSeconds(5)), FetchListener.NONE, coordinator.target());

        await(() -> coordinator.accepted.size() == 1, "the chunk is accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
        assertEquals(2, origin.requests("/f"));
    }

    @Test
    void rangesBeyond4GiBAreRequestedAndDeliveredExactly() throws Exception {
        // Offsets past 2^32 (and across it) must survive Range, Content-Range and CRC handling;
        // the origin computes the bytes, so a 5 GiB file needs no storage.
        Content content = Content.pseudoRandom(5, 5L << 30);
        origin.serve("/big", content).etag(ETAG);
        long across = (4L << 30) - 100_000;
        long tail = content.size() - 12_345;
        List<ChunkLease> all = leases(origin.url("/big"), content.size(), 1L << 30, 60_000);
        coordinator.offer(List.of(
                all.get(0).toBuilder().setLeaseId("across").setChunkIndex(0).setOffset(across).setLength(300_000).build(),
                all.get(0).toBuilder().setLeaseId("tail").setChunkIndex(1).setOffset(tail).setLength(12_345).build()));
        engine(3);

        await(() -> coordinator.accepted.size() == 2, "both chunks are accepted");
        assertArrayEquals(content.read(across, 300_000), coordinator.accepted.get(0L));
        assertArrayEquals(content.read(tail, 12_345), coordinator.accepted.get(1L));
        assertTrue(origin.requestHeaderValues("/big", "Range").containsAll(List.of(
                "bytes=" + across + "-" + (across + 299_999), "bytes=" + tail + "-" + (content.size() - 1))),
                origin.requestHeaderValues("/big", "Range").toString());
    }

    @Test
    void crawlingOriginBelowTheLowestSpeedIsGivenUpAndReleasedAtOnce() throws Exception {
        Content content = Content.pseudoRandom(9, 100_000);
        // 500 bytes/s in pieces every 100 ms: never idle for the 10 s read timeout, but far below 10 KB/s.
        origin.serve("/f", content).etag(ETAG).drip(1000, 500, 1);
        coordinator.offer(leases(origin.url("/f"), content.size(), content.size(), 60_000));
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5))
                .withLowestSpeed(10_000, Duration.ofMillis(500)), FetchListener.NONE, coordinator.target());

        ReleaseChunkRequest r = awaitOneRelease();
        assertEquals(FetchFailureKind.TRANSIENT, r.getFailure().getKind());
        assertTrue(r.getFailure().getMessage().contains("lowest-speed"), r.getFailure().getMessage());
        // Released instead of retried here: another worker (or a later lease) gets the chunk.
        assertEquals(1, origin.requests("/f"));
        assertTrue(coordinator.accepted.isEmpty(), "no chunk accepted: " + coordinator.accepted);
    }

    @Test
    void crawlingOriginIsWaitedForWhenTheLowestSpeedIsOff() throws Exception {
        Content content = Content.pseudoRandom(9, 4_000);
        origin.serve("/f", content).etag(ETAG).drip(1000, 4_000, 1);
        coordinator.offer(leases(origin.url("/f"), content.size(), content.size(), 60_000));
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)).withLowestSpeed(0, Duration.ofMillis(100)),
                FetchListener.NONE, coordinator.target());

        await(() -> coordinator.accepted.size() == 1, "the chunk is accepted");
        assertArrayEquals(content.readAll(), coordinator.assembled());
        assertEquals(1, origin.requests("/f"));
        assertEquals(List.of(), coordinator.releases);
    }

    @Test
    void lowestSpeedRejectsNegativeSpeedsAndEmptyWindows() {
        FetchEngineOptions o = options(1, 1, Duration.ofSeconds(1), Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> o.withLowestSpeed(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> o.withLowestSpeed(1, Duration.ZERO));
        assertEquals(0, o.withLowestSpeed(0, Duration.ZERO).lowestSpeed());
    }

    @Test
    void stopGivesBackInFlightLeasesAfterTheDrainTimeout() throws Exception {
        origin.serve("/f", Content.pseudoRandom(9, 100_000)).etag(ETAG).stallAfterBytes(1000, 100);
        coordinator.offer(leases(origin.url("/f"), 100_000, 50_000, 60_000));
        FetchEngine engine = engine(options(2, 3, Duration.ofSeconds(60), Duration.ofMillis(100)),
                FetchListener.NONE, coordinator.target());
        await(() -> engine.inFlight() == 2 && origin.bodyBytesServed("/f") == 2000, "both chunks are stalled");

        engine.stop();

        assertEquals(0, engine.inFlight());
        assertEquals(2, coordinator.releases.size());
        for (ReleaseChunkRequest r : coordinator.releases) {
            assertEquals(FetchFailureKind.WORKER_STOPPING, r.getFailure().getKind());
        }
    }

    @Test
    void stopLetsFastChunksFinishWithinTheDrainTimeout() throws Exception {
        Content content = Content.pseudoRandom(2, 200_000);
        origin.serve("/f", content).etag(ETAG).delayPerResponse(Duration.ofMillis(200));
        coordinator.offer(leases(origin.url("/f"), content.size(), content.size(), 60_000));
        FetchEngine engine = engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(20)),
                FetchListener.NONE, coordinator.target());
        await(() -> engine.inFlight() == 1, "the chunk is in flight");

        engine.stop();

        assertEquals(1, coordinator.accepted.size());
        assertTrue(coordinator.releases.isEmpty());
    }

    @Test
    void rejectedTransferDropsTheChunkWithoutRelease() throws Exception {
        origin.serve("/f", Content.pseudoRandom(1, 2000)).etag(ETAG);
        coordinator.rejectTransfersWith(Status.FAILED_PRECONDITION.withDescription("SUPERSEDED"));
        coordinator.offer(leases(origin.url("/f"), 2000, 1000, 60_000));
        List<String> outcomes = new CopyOnWriteArrayList<>();
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), new FetchListener() {
            @Override
            public void chunkFinished(String outcome, long nanos) {
                outcomes.add(outcome);
            }
        }, coordinator.target());

        await(() -> outcomes.size() == 2, "both chunks end");
        assertEquals(List.of("rejected", "rejected"), outcomes);
        assertTrue(coordinator.releases.isEmpty());
        assertEquals(2, origin.requests("/f"));
    }

    @Test
    void twoCoordinatorsAreServedRoundRobin() throws Exception {
        List<String> asks = new CopyOnWriteArrayList<>();
        Content content = Content.pseudoRandom(5, 6000);
        origin.serve("/f", content).etag(ETAG);
        try (FakeCoordinator a = new FakeCoordinator("A", asks); FakeCoordinator b = new FakeCoordinator("B", asks)) {
            a.offer(leases(origin.url("/f"), 6000, 1000, 60_000));
            b.offer(leases(origin.url("/f"), 6000, 1000, 60_000));
            engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), FetchListener.NONE,
                    a.target(), b.target());

            await(() -> a.accepted.size() == 6 && b.accepted.size() == 6, "both downloads complete");
            List<String> first = List.copyOf(asks).subList(0, 12); // a snapshot: the engine keeps asking
            for (int i = 1; i < first.size(); i++) {
                assertTrue(!first.get(i).equals(first.get(i - 1)), "asks alternate: " + first);
            }
            assertArrayEquals(content.readAll(), a.assembled());
            assertArrayEquals(content.readAll(), b.assembled());
        }
    }

    @Test
    void unreachableCoordinatorDoesNotStopTheOthers() throws Exception {
        Content content = Content.pseudoRandom(5, 3000);
        origin.serve("/f", content).etag(ETAG);
        coordinator.offer(leases(origin.url("/f"), 3000, 1000, 60_000));
        CoordinatorTarget dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = new CoordinatorTarget("127.0.0.1", s.getLocalPort());
        }
        engine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), FetchListener.NONE,
                dead, coordinator.target());

        await(() -> coordinator.accepted.size() == 3, "the live coordinator's download completes");
        assertArrayEquals(content.readAll(), coordinator.assembled());
    }

    /** Discovery whose answer the test changes, like a Kubernetes watch would. */
    private static final class ChangingDiscovery implements CoordinatorDiscovery {
        private volatile List<CoordinatorTarget> targets;

        ChangingDiscovery(CoordinatorTarget... targets) {
            this.targets = List.of(targets);
        }

        void set(CoordinatorTarget... now) {
            targets = List.of(now);
        }

        @Override
        public List<CoordinatorTarget> coordinators() {
            return targets;
        }
    }

    private FetchEngine engine(FetchEngineOptions o, CoordinatorDiscovery discovery) {
        FetchEngine e = new FetchEngine(o, discovery, http, FetchListener.NONE);
        closeables.add(e);
        e.start();
        return e;
    }

    @Test
    void coordinatorThatLeftDiscoveryIsNoLongerAskedAndItsChannelIsClosed() throws Exception {
        Content content = Content.pseudoRandom(6, 4000);
        origin.serve("/f", content).etag(ETAG);
        try (FakeCoordinator gone = new FakeCoordinator("gone", new CopyOnWriteArrayList<>())) {
            ChangingDiscovery discovery = new ChangingDiscovery(gone.target(), coordinator.target());
            FetchEngine engine = engine(options(2, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), discovery);
            await(() -> gone.getChunkCalls.get() > 0 && ((CoordinatorChannels) engine.links()).targets().contains(gone.target()),
                    "the coordinator is asked");

            discovery.set(coordinator.target());
            await(() -> engine.knownCoordinators().equals(List.of(coordinator.target())), "the engine sees it leave");
            // The engine publishes the new list, then closes the channels of coordinators that left.
            await(() -> !((CoordinatorChannels) engine.links()).targets().contains(gone.target()), "its channel is gone");

            coordinator.offer(leases(origin.url("/f"), 4000, 1000, 60_000).subList(0, 2));
            await(() -> coordinator.accepted.size() == 2, "the remaining coordinator gets work done");
            // Asks already under way when it left have ended by now; none may follow.
            int asked = gone.getChunkCalls.get();
            coordinator.offer(leases(origin.url("/f"), 4000, 1000, 60_000).subList(2, 4));
            await(() -> coordinator.accepted.size() == 4, "more work gets done");
            assertEquals(asked, gone.getChunkCalls.get());
            assertTrue(!((CoordinatorChannels) engine.links()).targets().contains(gone.target()), "no channel was re-created");
            assertArrayEquals(content.readAll(), coordinator.assembled());
        }
    }

    @Test
    void leaseFromACoordinatorThatLeftDiscoveryIsAbandonedWithoutTransfer() throws Exception {
        origin.serve("/f", Content.pseudoRandom(4, 1000)).etag(ETAG).delayPerResponse(Duration.ofSeconds(1));
        coordinator.offer(leases(origin.url("/f"), 1000, 1000, 60_000));
        List<String> outcomes = new CopyOnWriteArrayList<>();
        ChangingDiscovery discovery = new ChangingDiscovery(coordinator.target());
        FetchEngine engine = new FetchEngine(options(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(5)), discovery,
                http, new FetchListener() {
                    @Override
                    public void chunkFinished(String outcome, long nanos) {
                        outcomes.add(outcome);
                    }
                });
        closeables.add(engine);
        engine.start();
        await(() -> engine.inFlight() == 1, "the chunk is in flight, waiting for the origin");

        discovery.set();
        // The only slot is busy with the lease: refresh the way any other slot's next round would.
        engine.refreshTargets();

        await(() -> outcomes.size() == 1, "the lease ends");
        assertEquals(List.of("rejected"), outcomes);
        assertTrue(coordinator.accepted.isEmpty());
        assertTrue(coordinator.releases.isEmpty());
        assertEquals(0, engine.inFlight());
    }
}
