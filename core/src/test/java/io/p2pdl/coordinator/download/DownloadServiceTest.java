package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.p2pdl.coordinator.lease.Lease;
import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.FetchFailure;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.Header;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferOutcome;
import io.p2pdl.proto.v1.TransferTrailer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadServiceTest {

    private static final long MIB = 1024 * 1024;
    private static final int MIB_HALF = (int) (MIB / 2);

    @TempDir
    Path dir;
    private TestOrigin origin;
    private DownloadService service;
    private final Content content = Content.pseudoRandom(42, 5 * MIB + 123);

    @BeforeEach
    void setUp() throws IOException {
        origin = TestOrigin.start();
        service = newService();
    }

    @AfterEach
    void tearDown() {
        service.close();
        origin.close();
    }

    private DownloadService newService() throws IOException {
        return newService(CoordinatorSettings.DEFAULT_MAX_ACTIVE_DOWNLOADS, CoordinatorSettings.DEFAULT_MAX_FILE_SIZE);
    }

    private DownloadService newService(int maxActive, long maxFileSize) throws IOException {
        return newService(maxActive, maxFileSize, Duration.ofSeconds(2));
    }

    private DownloadService newService(int maxActive, long maxFileSize, Duration endgameMinAge) throws IOException {
        LeasePolicy policy = new LeasePolicy(Duration.ofSeconds(30), 1, Duration.ofMillis(1), Duration.ofMillis(5),
                3, Duration.ofMillis(100), endgameMinAge);
        CoordinatorSettings settings = new CoordinatorSettings(dir.resolve("data"), dir.resolve("state"), "t", MIB,
                policy, Duration.ofMillis(20), Duration.ofSeconds(60), maxActive, maxFileSize);
        // The test origin is on loopback, which the default origin policy refuses.
        RedirectingClient client = new RedirectingClient(OriginHttp.newClient(OriginHttpOptions.defaults()),
                Duration.ofSeconds(10), OriginAddressPolicy.parse(java.util.List.of("127.0.0.0/8"),
                        OriginAddressPolicy.COORDINATOR_KEY), UrlRedactor.DEFAULT);
        DownloadService s = new DownloadService(settings, new OriginProber(client, 2, Duration.ofMillis(10)), client);
        s.start();
        return s;
    }

    private Download submit(String path, String name) throws InterruptedException {
        return service.submit(SubmitRequest.newBuilder().setUrl(origin.url(path)).setOutputName(name).build());
    }

    private Download await(String id, Predicate<Download> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        Download d = service.get(id);
        while (!condition.test(d)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting; last status " + d);
            }
            Thread.sleep(10);
            d = service.get(id);
        }
        return d;
    }

    private Download awaitTerminal(String id) throws InterruptedException {
        return await(id, d -> d.getState() == DownloadState.COMPLETED || d.getState() == DownloadState.FAILED);
    }

    private Path data(String name) {
        return dir.resolve("data").resolve(name);
    }

    @Test
    void chunkedDownloadCompletesWithOriginBytesAndSha256() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f.bin");
        assertEquals(6, d.getChunksTotal());
        assertTrue(d.getResumable());
        assertEquals(6, new InTestWorker(service, "w").drain(content));
        Download done = awaitTerminal(d.getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(content.sha256Hex(), done.getSha256());
        assertArrayEquals(content.readAll(), Files.readAllBytes(data("f.bin")));
        assertFalse(Files.exists(data("f.bin.part")));
        assertEquals(content.size(), done.getCompletedBytes());
    }

    @Test
    void workersWaitingForWorkAreLeasedChunksOnSubmitAndOnResume() throws Exception {
        origin.serve("/f", content);
        // Long polls of 10 s: only the coordinator's own wake-ups can answer them within the test.
        java.util.concurrent.CompletableFuture<io.p2pdl.proto.v1.GetChunkResponse> waiting = service.getChunk("w", 10_000);
        assertFalse(waiting.isDone(), "no download yet");
        Download d = submit("/f", "f.bin");
        assertEquals(d.getId(), waiting.get(5, java.util.concurrent.TimeUnit.SECONDS).getLease().getDownloadId());

        service.pause(d.getId());
        java.util.concurrent.CompletableFuture<io.p2pdl.proto.v1.GetChunkResponse> paused = service.getChunk("w2", 10_000);
        assertFalse(paused.isDone(), "a paused download leases nothing");
        service.resume(d.getId());
        assertEquals(d.getId(), paused.get(5, java.util.concurrent.TimeUnit.SECONDS).getLease().getDownloadId());
    }

    @Test
    void aWorkerAskingAheadIsAnsweredAtOnceAndLeasedWhatIsQueued() throws Exception {
        origin.serve("/f", content);
        java.util.concurrent.CompletableFuture<io.p2pdl.proto.v1.GetChunkResponse> none = service.getChunk("w", 10_000, true);
        assertTrue(none.isDone() && none.get().hasNoWork(), "asked ahead: no long poll");

        Download d = submit("/f", "f.bin");

        assertEquals(d.getId(), service.getChunk("w", 10_000, true).get().getLease().getDownloadId());
    }

    @Test
    void anEmbeddedWorkersLongPollCutByItsEngineStoppingLeavesNoLeaseBehind() throws Exception {
        origin.serve("/f", content);
        InProcessDownloader link = new InProcessDownloader(service);
        java.util.concurrent.CompletableFuture<io.grpc.Status.Code> cut = new java.util.concurrent.CompletableFuture<>();
        Thread polling = new Thread(() -> {
            try {
                link.getChunk("stopped", Duration.ofSeconds(10), Duration.ofSeconds(10));
                cut.complete(io.grpc.Status.Code.OK);
            } catch (io.grpc.StatusRuntimeException e) {
                cut.complete(e.getStatus().getCode());
            }
        });
        polling.start();
        while (service.waitingForWork() != 1) {
            Thread.sleep(5); // until the embedded worker is long polling
        }
        polling.interrupt(); // what FetchEngine.stop does to a slot in a long poll
        assertEquals(io.grpc.Status.Code.CANCELLED, cut.get(10, java.util.concurrent.TimeUnit.SECONDS));
        // Polls after it: it comes first in the next pass, so its lease (if any) is decided before this one's.
        java.util.concurrent.CompletableFuture<io.p2pdl.proto.v1.GetChunkResponse> next = service.getChunk("w", 10_000);

        Download d = submit("/f", "f.bin");

        assertEquals(d.getId(), next.get(5, java.util.concurrent.TimeUnit.SECONDS).getLease().getDownloadId());
        String key = io.p2pdl.coordinator.probe.OriginUrls.originOf(origin.url("/f"));
        assertEquals(1, service.leases().liveLeasesOnOrigin(key), "the cut poll's lease was given back");
    }

    @Test
    void leasesCountAgainstTheDownloadsOrigin() throws Exception {
        origin.serve("/f", content);
        submit("/f", "f.bin");
        String key = io.p2pdl.coordinator.probe.OriginUrls.originOf(origin.url("/f"));
        assertTrue(service.lease("w").isPresent());
        assertTrue(service.lease("w").isPresent());
        assertEquals(2, service.leases().liveLeasesOnOrigin(key), key);
    }

    @Test
    void zeroByteFileCompletesAsEmptyFile() throws Exception {
        origin.serve("/empty", Content.bytes(new byte[0]));
        Download d = awaitTerminal(submit("/empty", "empty").getId());
        assertEquals(DownloadState.COMPLETED, d.getState(), d.getMessage());
        assertEquals(0, Files.size(data("empty")));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.getSha256());
    }

    @Test
    void originWithoutStrongValidatorIsNotedAtSubmit() throws Exception {
        origin.serve("/none", content).etag(null);
        assertTrue(submit("/none", "none.bin").getMessage().contains("no ETag or Last-Modified"));
        origin.serve("/weak", content).etag("W/\"w1\"");
        assertTrue(submit("/weak", "weak.bin").getMessage().contains("only a weak ETag"));
        origin.serve("/weak-dated", content).etag("W/\"w2\"").lastModified("Wed, 25 Nov 2026 10:00:00 GMT");
        assertEquals("", submit("/weak-dated", "weak-dated.bin").getMessage());
    }

    @Test
    void originThatIgnoresRangeFallsBackToSingleStream() throws Exception {
        origin.serve("/f", content).ignoreRange();
        Download d = submit("/f", "f.bin");
        assertFalse(d.getResumable());
        assertTrue(d.getMessage().contains("not resumable"), d.getMessage());
        Download done = awaitTerminal(d.getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(content.sha256Hex(), done.getSha256());
    }

    @Test
    void originWithoutLengthIsFetchedInOneStream() throws Exception {
        origin.serve("/f", content).noLength();
        Download d = submit("/f", "f.bin");
        assertEquals(-1, d.getSizeBytes());
        Download done = awaitTerminal(d.getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(content.sha256Hex(), done.getSha256());
        assertEquals(content.size(), done.getCompletedBytes());
    }

    @Test
    void singleStreamCutMidBodyRestartsFromZero() throws Exception {
        origin.serve("/f", content).ignoreRange().cutAfterBytes(MIB, 1);
        Download done = awaitTerminal(submit("/f", "f.bin").getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(content.sha256Hex(), done.getSha256());
    }

    @Test
    void redirectsAreFollowedAndLeasesCarryTheFinalUrl() throws Exception {
        origin.serve("/real", content).redirectFrom("/start", 302);
        Download d = submit("/start", "");
        assertEquals("start", d.getOutputName(), "name comes from the submitted URL");
        ChunkLease lease = new InTestWorker(service, "w").lease().orElseThrow();
        assertEquals(origin.url("/real"), lease.getUrl());
    }

    @Test
    void submittedHeadersGoToOriginButNeverIntoStatus() throws Exception {
        origin.serve("/f", content);
        Download d = service.submit(SubmitRequest.newBuilder().setUrl(origin.url("/f")).setOutputName("f")
                .addHeaders(Header.newBuilder().setName("Authorization").setValue("Bearer s3cret")).build());
        assertEquals("Bearer s3cret", origin.lastRequestHeaders("/f").get("authorization"));
        assertFalse(d.toString().contains("s3cret"));
        ChunkLease lease = new InTestWorker(service, "w").lease().orElseThrow();
        assertEquals("Bearer s3cret", lease.getHeaders(0).getValue());
    }

    @Test
    void credentialsInUrlAreUsedButRedacted() throws Exception {
        origin.serve("/f", content);
        String url = origin.url("/f").replace("http://", "http://user:pa55@");
        Download d = service.submit(SubmitRequest.newBuilder().setUrl(url).setOutputName("f").build());
        assertFalse(d.getUrl().contains("pa55"), d.getUrl());
        Map<String, String> headers = origin.lastRequestHeaders("/f");
        assertEquals("Basic dXNlcjpwYTU1", headers.get("authorization"));
    }

    @Test
    void missingFileIsRefusedAtSubmitWithReason() {
        DownloadException e = assertThrows(DownloadException.class, () -> submit("/nope", "x"));
        assertEquals(FailureReason.ORIGIN_NOT_FOUND, e.reason());
        assertEquals(DownloadException.Kind.FAILED_PRECONDITION, e.kind());
    }

    @Test
    void badInputIsRejectedWithOneLineReason() throws Exception {
        origin.serve("/f", content);
        assertInvalid(SubmitRequest.newBuilder().setUrl("ftp://host/f"), "unsupported URL scheme 'ftp'");
        assertInvalid(SubmitRequest.newBuilder().setUrl("http://exa mple/"), "malformed URL");
        assertInvalid(req("/f", "/etc/passwd"), "is absolute");
        assertInvalid(req("/f", "../x"), "contains '..'");
        assertInvalid(req("/f", "a/../../x"), "contains '..'");
        assertInvalid(req("/f", "f").setChecksum(Checksum.newBuilder().setAlgorithm(ChecksumAlgorithm.SHA256)
                .setHex("abc")), "64 hexadecimal digits");
        assertInvalid(req("/f", "f").addHeaders(Header.newBuilder().setName("Range").setValue("bytes=0-")),
                "set by p2pdl itself");
        assertInvalid(req("/f", "f").setChunkSizeBytes(10), "chunk size 10 bytes is outside");
    }

    @Test
    void limitsRefuseTooManyActiveDownloadsAndTooLargeFiles() throws Exception {
        service.close();
        service = newService(1, content.size());
        origin.serve("/f", content);
        origin.serve("/big", Content.pseudoRandom(1, content.size() + 1));
        DownloadException tooBig = assertThrows(DownloadException.class, () -> submit("/big", "big"));
        assertEquals(DownloadException.Kind.INVALID_ARGUMENT, tooBig.kind());
        assertTrue(tooBig.getMessage().contains("larger than the limit"), tooBig.getMessage());
        Download first = submit("/f", "one");
        DownloadException busy = assertThrows(DownloadException.class, () -> submit("/f", "two"));
        assertEquals(DownloadException.Kind.RESOURCE_EXHAUSTED, busy.kind());
        service.cancel(first.getId());
        assertEquals(DownloadState.RUNNING, submit("/f", "two").getState(), "a terminal download frees its place");
    }

    @Test
    void symlinkLeadingOutsideDataDirectoryIsRejected() throws Exception {
        origin.serve("/f", content);
        Files.createDirectories(data(""));
        Files.createSymbolicLink(data("escape"), dir);
        assertInvalid(req("/f", "escape/f"), "symbolic link");
    }

    @Test
    void nameCollisionFailsUnlessOverwrite() throws Exception {
        origin.serve("/f", content);
        Download first = submit("/f", "same");
        DownloadException busy = assertThrows(DownloadException.class, () -> submit("/f", "same"));
        assertEquals(DownloadException.Kind.ALREADY_EXISTS, busy.kind());
        new InTestWorker(service, "w").drain(content);
        awaitTerminal(first.getId());
        DownloadException exists = assertThrows(DownloadException.class, () -> submit("/f", "same"));
        assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
        Download again = service.submit(req("/f", "same").setOverwrite(true).build());
        new InTestWorker(service, "w").drain(content);
        assertEquals(DownloadState.COMPLETED, awaitTerminal(again.getId()).getState());
    }

    @Test
    void checksumMismatchFailsAndKeepsPartFile() throws Exception {
        origin.serve("/f", content);
        Download d = service.submit(req("/f", "f").setChecksum(Checksum.newBuilder()
                .setAlgorithm(ChecksumAlgorithm.SHA256).setHex("0".repeat(64))).build());
        new InTestWorker(service, "w").drain(content);
        Download done = awaitTerminal(d.getId());
        assertEquals(FailureReason.CHECKSUM_MISMATCH, done.getFailureReason());
        assertTrue(Files.exists(data("f.part")));
        assertFalse(Files.exists(data("f")));
        assertThrows(DownloadException.class, () -> service.resume(d.getId()));
    }

    @Test
    void matchingSha512ChecksumCompletes() throws Exception {
        origin.serve("/f", content);
        String sha512 = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-512").digest(content.readAll()));
        Download d = service.submit(req("/f", "f").setChecksum(Checksum.newBuilder()
                .setAlgorithm(ChecksumAlgorithm.SHA512).setHex(sha512.toUpperCase())).build());
        new InTestWorker(service, "w").drain(content);
        assertEquals(DownloadState.COMPLETED, awaitTerminal(d.getId()).getState());
    }

    @Test
    void restartKeepsDoneChunksAndFetchesOnlyTheRest() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f.bin");
        InTestWorker w = new InTestWorker(service, "w");
        for (int i = 0; i < 3; i++) {
            w.deliver(w.lease().orElseThrow(), content);
        }
        await(d.getId(), x -> x.getChunksDone() == 3);
        w.lease().orElseThrow(); // leased but never delivered when the coordinator dies
        service.close();
        service = newService();
        Download recovered = service.get(d.getId());
        assertEquals(DownloadState.RUNNING, recovered.getState());
        assertEquals(3, recovered.getChunksDone());
        assertEquals(3, new InTestWorker(service, "w2").drain(content), "only the 3 missing chunks are fetched");
        Download done = awaitTerminal(d.getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(content.sha256Hex(), done.getSha256());
    }

    @Test
    void aPlanWithTailPiecesIsTheSameAfterRestartAndTheFileByteIdentical() throws Exception {
        // 21 equal chunks of 1 MiB (the last 7 bytes): 19 chunks, then the last 2 cut into pieces of
        // 256 KiB: 4 pieces and one of 7 bytes.
        Content big = Content.pseudoRandom(7, 20 * MIB + 7);
        origin.serve("/big", big);
        Download d = submit("/big", "big.bin");
        assertEquals(24, d.getChunksTotal());
        InTestWorker w = new InTestWorker(service, "w");
        for (int i = 0; i < 21; i++) {
            ChunkLease l = w.lease().orElseThrow();
            assertEquals(i < 19 ? MIB : MIB / 4, l.getLength(), "chunk " + l.getChunkIndex());
            w.deliver(l, big);
        }
        await(d.getId(), x -> x.getChunksDone() == 21);
        service.close();
        service = newService();
        Download recovered = service.get(d.getId());
        assertEquals(24, recovered.getChunksTotal());
        assertEquals(19 * MIB + 2 * MIB / 4, recovered.getCompletedBytes());
        assertEquals(3, new InTestWorker(service, "w2").drain(big), "only the 3 missing pieces are fetched");
        Download done = awaitTerminal(d.getId());
        assertEquals(DownloadState.COMPLETED, done.getState(), done.getMessage());
        assertEquals(big.sha256Hex(), done.getSha256());
        assertArrayEquals(big.read(0, (int) big.size()), Files.readAllBytes(data("big.bin")));
    }

    @Test
    void completedAndFailedDownloadsAreListedAfterRestart() throws Exception {
        origin.serve("/f", content);
        Download ok = submit("/f", "ok");
        new InTestWorker(service, "w").drain(content);
        awaitTerminal(ok.getId());
        Download cancelled = service.cancel(submit("/f", "cancelled").getId());
        assertEquals(FailureReason.CANCELLED, cancelled.getFailureReason());
        service.close();
        service = newService();
        assertEquals(2, service.list().size());
        assertEquals(DownloadState.COMPLETED, service.get(ok.getId()).getState());
        assertEquals(content.sha256Hex(), service.get(ok.getId()).getSha256());
        assertEquals(FailureReason.CANCELLED, service.get(cancelled.getId()).getFailureReason());
    }

    @Test
    void pauseStopsLeasingAndResumeContinues() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        assertEquals(DownloadState.PAUSED, service.pause(d.getId()).getState());
        InTestWorker w = new InTestWorker(service, "w");
        assertTrue(w.lease().isEmpty());
        service.close();
        service = newService();
        assertEquals(DownloadState.PAUSED, service.get(d.getId()).getState(), "pause survives restart");
        assertTrue(new InTestWorker(service, "w").lease().isEmpty());
        service.resume(d.getId());
        new InTestWorker(service, "w").drain(content);
        assertEquals(DownloadState.COMPLETED, awaitTerminal(d.getId()).getState());
    }

    @Test
    void cancelledDownloadResumesFromWhereItStopped() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        w.deliver(w.lease().orElseThrow(), content);
        await(d.getId(), x -> x.getChunksDone() == 1);
        service.cancel(d.getId());
        assertEquals(DownloadState.RUNNING, service.resume(d.getId()).getState());
        assertEquals(5, w.drain(content));
        assertEquals(DownloadState.COMPLETED, awaitTerminal(d.getId()).getState());
    }

    @Test
    void originChangeReportedByWorkerFailsTheDownload() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        ChunkLease lease = new InTestWorker(service, "w").lease().orElseThrow();
        service.release(ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure
                .newBuilder().setKind(FetchFailureKind.CHANGED).setHttpStatus(200).setMessage("200 to If-Range"))
                .build());
        Download failed = service.get(d.getId());
        assertEquals(FailureReason.ORIGIN_CHANGED, failed.getFailureReason());
        assertThrows(DownloadException.class, () -> service.resume(d.getId()));
    }

    @Test
    void repeatedTransientFailuresOfOneChunkFailWithTooManyErrors() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        for (int i = 0; i < 3; i++) {
            ChunkLease lease = w.leaseChunk(0);
            service.release(ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure
                    .newBuilder().setKind(FetchFailureKind.TRANSIENT).setHttpStatus(500).setMessage("500")).build());
        }
        assertEquals(FailureReason.TOO_MANY_ERRORS, service.get(d.getId()).getFailureReason());
    }


    @Test
    void forbiddenChunkReResolvesTheUrlOnceAndContinues() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        ChunkLease lease = w.lease().orElseThrow();
        int probesBefore = origin.requests("/f");
        service.release(forbidden(lease));
        await(d.getId(), x -> origin.requests("/f") > probesBefore && deliveredOne(w));
        w.drain(content);
        assertEquals(DownloadState.COMPLETED, awaitTerminal(d.getId()).getState());
    }

    @Test
    void noLeaseIsHandedOutWithTheRefusedUrlWhileItIsResolvedAgain() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        ChunkLease refused = w.lease().orElseThrow();
        // A worker woken by the refusal's requeue (a long poll) asks at once, inside release().
        List<Lease> eager = new CopyOnWriteArrayList<>();
        AtomicBoolean releasing = new AtomicBoolean();
        service.leases().onWorkAvailable(() -> {
            if (releasing.get()) {
                service.leases().acquire("eager").ifPresent(eager::add);
            }
        });
        releasing.set(true);
        service.release(forbidden(refused));
        releasing.set(false);
        assertEquals(List.of(), eager, "a lease issued now would carry the refused URL and fail the download");
        await(d.getId(), x -> deliveredOne(w));
        w.drain(content);
        assertEquals(DownloadState.COMPLETED, awaitTerminal(d.getId()).getState());
    }

    /** The worker gives {@code lease} back: the origin answered 403. */
    private static ReleaseChunkRequest forbidden(ChunkLease lease) {
        return ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure.newBuilder()
                .setKind(FetchFailureKind.FORBIDDEN).setHttpStatus(403).setMessage("403")).build();
    }

    /** Leases one chunk and delivers it, if there is one to lease now. */
    private boolean deliveredOne(InTestWorker w) {
        return w.lease().map(l -> {
            try {
                w.deliver(l, content);
            } catch (TransferException e) {
                throw new AssertionError(e);
            }
            return true;
        }).orElse(false);
    }

    @Test
    void transferWithWrongChecksumIsRejectedAndChunkStaysQueuedForRetry() throws Exception {
        origin.serve("/f", content);
        Download d = submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        ChunkLease lease = w.lease().orElseThrow();
        byte[] bytes = content.read(lease.getOffset(), (int) lease.getLength());
        TransferException e = assertThrows(TransferException.class, () -> w.send(lease, bytes, 1234, 65536));
        assertEquals(TransferError.CHECKSUM_MISMATCH, e.error());
        assertEquals(0, service.get(d.getId()).getChunksDone());
        assertEquals(TransferOutcome.ACCEPTED, w.deliver(lease, content).getOutcome(), "same lease may retry");
    }

    @Test
    void transferViolationsAreRejectedWithPreciseReasons() throws Exception {
        origin.serve("/f", content);
        submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        ChunkLease lease = w.lease().orElseThrow();
        byte[] bytes = content.read(lease.getOffset(), (int) lease.getLength());
        assertEquals(TransferError.FRAME_TOO_LARGE, assertThrows(TransferException.class,
                () -> w.send(lease, bytes, 0, ChunkReceiver.MAX_FRAME + 1)).error());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals(TransferError.TOO_MANY_BYTES, assertThrows(TransferException.class,
                () -> w.send(lease, longer, 0, 65536)).error());
        assertEquals(TransferError.SHORT_TRANSFER, assertThrows(TransferException.class,
                () -> w.send(lease, java.util.Arrays.copyOf(bytes, 10), 0, 65536)).error());
        ChunkLease forged = lease.toBuilder().setLeaseId("feedface").build();
        assertEquals(TransferError.UNKNOWN_LEASE, assertThrows(TransferException.class,
                () -> w.deliver(forged, content)).error());
        ChunkLease shifted = lease.toBuilder().setOffset(lease.getOffset() + 1).build();
        assertEquals(TransferError.RANGE_MISMATCH, assertThrows(TransferException.class,
                () -> w.deliver(shifted, content)).error());
    }

    @Test
    void duplicateTransferOfWrittenChunkIsDropped() throws Exception {
        origin.serve("/f", content);
        submit("/f", "f");
        InTestWorker w = new InTestWorker(service, "w");
        ChunkLease lease = w.lease().orElseThrow();
        assertEquals(TransferOutcome.ACCEPTED, w.deliver(lease, content).getOutcome());
        assertEquals(TransferOutcome.DUPLICATE, w.deliver(lease, content).getOutcome());
    }

    /**
     * A download of {@code content} where worker "a" holds chunk 0 (every other chunk written) and
     * worker "b" an endgame duplicate of it; returns {holder's lease, duplicate's lease}.
     */
    private ChunkLease[] holderAndDuplicateOfChunk0() throws Exception {
        service.close();
        service = newService(CoordinatorSettings.DEFAULT_MAX_ACTIVE_DOWNLOADS, CoordinatorSettings.DEFAULT_MAX_FILE_SIZE,
                Duration.ofMillis(1));
        origin.serve("/f", content);
        submit("/f", "f");
        InTestWorker a = new InTestWorker(service, "a");
        ChunkLease held = a.lease().orElseThrow();
        assertEquals(0, held.getChunkIndex());
        a.drain(content);
        Thread.sleep(20); // older than the 1 ms endgame age
        ChunkLease dup = new InTestWorker(service, "b").lease().orElseThrow();
        assertTrue(dup.getDuplicate());
        assertEquals(0, dup.getChunkIndex());
        return new ChunkLease[] {held, dup};
    }

    private static TransferFrame header(ChunkLease l, String worker) {
        return TransferFrame.newBuilder().setHeader(TransferHeader.newBuilder().setLeaseId(l.getLeaseId())
                .setDownloadId(l.getDownloadId()).setChunkIndex(l.getChunkIndex()).setOffset(l.getOffset())
                .setLength(l.getLength()).setWorkerId(worker)).build();
    }

    /** Sends {@code bytes[from, to)} in frames of at most {@link ChunkReceiver#MAX_FRAME}. */
    private static void feed(ChunkReceiver rx, byte[] bytes, int from, int to) throws TransferException {
        for (int off = from; off < to; off += ChunkReceiver.MAX_FRAME) {
            int n = Math.min(ChunkReceiver.MAX_FRAME, to - off);
            rx.accept(TransferFrame.newBuilder().setData(ByteString.copyFrom(bytes, off, n)).build());
        }
    }

    /** What the .part file of "f" holds at {@code offset}. */
    private byte[] partBytes(long offset, int length) throws IOException {
        byte[] region = new byte[length];
        try (FileChannel part = FileChannel.open(OutputNames.partFile(data("f")))) {
            part.read(ByteBuffer.wrap(region), offset);
        }
        return region;
    }

    private static TransferFrame trailer(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return TransferFrame.newBuilder().setTrailer(TransferTrailer.newBuilder().setCrc32C((int) crc.getValue()))
                .build();
    }

    private long spills() throws IOException {
        try (var files = Files.list(dir.resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spill")).count();
        }
    }

    @Test
    void anEndgameDuplicateVerifiedFirstTakesTheChunkOverAndTheHolderStops() throws Exception {
        ChunkLease[] l = holderAndDuplicateOfChunk0();
        byte[] good = content.read(0, (int) MIB);
        byte[] garbled = good.clone();
        garbled[10] ^= 1; // what the holder writes first is wrong (its CRC would catch it at the end)
        int half = (int) (MIB / 2);
        ChunkReceiver holder = service.receiver();
        holder.accept(header(l[0], "a"));
        feed(holder, garbled, 0, half);
        ChunkReceiver dup = service.receiver();
        dup.accept(header(l[1], "b"));
        feed(dup, good, 0, half);
        feed(holder, garbled, half, half + ChunkReceiver.MAX_FRAME);
        assertEquals(garbled[10], partBytes(10, 1)[0], "the duplicate keeps its bytes aside while the holder writes");
        feed(dup, good, half, good.length);
        assertEquals(TransferOutcome.ACCEPTED, dup.accept(trailer(good)).orElseThrow().getOutcome());
        assertEquals(0, spills());
        // Refused: SUPERSEDED, or DOWNLOAD_NOT_ACTIVE once the download (this was its last chunk) completed.
        TransferError refusal = assertThrows(TransferException.class,
                () -> feed(holder, garbled, half + ChunkReceiver.MAX_FRAME, good.length)).error();
        assertTrue(refusal == TransferError.SUPERSEDED || refusal == TransferError.DOWNLOAD_NOT_ACTIVE, refusal.name());
        Download d = awaitTerminal(l[0].getDownloadId());
        assertEquals(DownloadState.COMPLETED, d.getState(), d.getMessage());
        assertArrayEquals(content.read(0, (int) content.size()), Files.readAllBytes(data("f")));
    }

    @Test
    void aHolderVerifiedFirstStopsTheDuplicateAndABadDuplicateNeverTouchesTheFile() throws Exception {
        ChunkLease[] l = holderAndDuplicateOfChunk0();
        byte[] good = content.read(0, (int) MIB);
        byte[] garbled = good.clone();
        garbled[MIB_HALF] ^= 1;
        ChunkReceiver holder = service.receiver();
        holder.accept(header(l[0], "a"));
        feed(holder, good, 0, 1000);
        ChunkReceiver bad = service.receiver();
        bad.accept(header(l[1], "b"));
        feed(bad, garbled, 0, garbled.length);
        assertEquals(TransferError.CHECKSUM_MISMATCH, assertThrows(TransferException.class,
                () -> bad.accept(trailer(good))).error());
        assertEquals(0, spills());
        assertArrayEquals(new byte[(int) MIB - 1000], partBytes(1000, (int) MIB - 1000),
                "the failed duplicate's bytes never reached the file");
        ChunkReceiver dup = service.receiver();
        dup.accept(header(l[1], "b"));
        feed(dup, good, 0, MIB_HALF);
        feed(holder, good, 1000, good.length);
        assertEquals(TransferOutcome.ACCEPTED, holder.accept(trailer(good)).orElseThrow().getOutcome());
        assertEquals(TransferError.SUPERSEDED, assertThrows(TransferException.class,
                () -> feed(dup, good, MIB_HALF, good.length)).error());
        assertEquals(0, spills());
        Download d = awaitTerminal(l[0].getDownloadId());
        assertEquals(DownloadState.COMPLETED, d.getState(), d.getMessage());
        assertArrayEquals(content.read(0, (int) content.size()), Files.readAllBytes(data("f")));
    }

    private SubmitRequest.Builder req(String path, String name) {
        return SubmitRequest.newBuilder().setUrl(origin.url(path)).setOutputName(name);
    }

    private void assertInvalid(SubmitRequest.Builder req, String expected) {
        DownloadException e = assertThrows(DownloadException.class, () -> service.submit(req.build()));
        assertEquals(DownloadException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
