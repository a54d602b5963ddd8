package io.p2pdl.coordinator.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.p2pdl.coordinator.testing.GrpcTestPort;
import io.p2pdl.fetch.auth.BearerTokens;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferResult;
import io.p2pdl.proto.v1.WatchRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC surface of a running coordinator, with its embedded worker fetching for real. */
@QuarkusTest
@WithTestResource(value = GrpcTestPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CoordinatorGrpcTest {

    private static final long MIB = 1024 * 1024;
    private static TestOrigin origin;
    private static final Content CONTENT = Content.pseudoRandom(9, 3 * MIB + 17);

    private ManagedChannel channel;
    private DownloadsGrpc.DownloadsBlockingStub admin;

    @BeforeAll
    static void startOrigin() {
        origin = TestOrigin.start();
        origin.serve("/file", CONTENT);
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", GrpcTestPort.port()).usePlaintext().build();
        admin = DownloadsGrpc.newBlockingStub(channel).withInterceptors(BearerTokens.interceptor("qt-admin-token"))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String uniqueName() {
        return "f-" + UUID.randomUUID();
    }

    @Test
    void submittedDownloadIsFetchedByEmbeddedWorkerAndWatchEndsAtCompletion() throws Exception {
        Download d = admin.submit(SubmitRequest.newBuilder().setUrl(origin.url("/file")).setOutputName(uniqueName())
                .build());
        assertEquals(DownloadState.RUNNING, d.getState());
        List<Download> events = new ArrayList<>();
        Iterator<Download> watch = admin.watch(WatchRequest.newBuilder().setId(d.getId()).setIntervalMs(50).build());
        watch.forEachRemaining(events::add);
        Download last = events.get(events.size() - 1);
        assertEquals(DownloadState.COMPLETED, last.getState(), last.getMessage());
        assertEquals(CONTENT.sha256Hex(), last.getSha256());
        byte[] written = Files.readAllBytes(Path.of(last.getOutputPath()));
        assertEquals(CONTENT.sha256Hex(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)));
        assertTrue(d.getId().startsWith("qt-"), "id names its owner: " + d.getId());
        assertTrue(admin.list(ListRequest.getDefaultInstance()).getDownloadsList().stream()
                .anyMatch(x -> x.getId().equals(d.getId())));
    }

    @Test
    void badSubmitIsInvalidArgumentWithReason() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.submit(
                SubmitRequest.newBuilder().setUrl("file:///etc/passwd").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("unsupported URL scheme 'file'"));
    }

    @Test
    void metadataAddressIsInvalidArgumentNamingTheReason() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.submit(
                SubmitRequest.newBuilder().setUrl("http://169.254.169.254/latest/meta-data/").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("ORIGIN_ADDRESS_REFUSED: origin host 169.254.169.254 resolves to 169.254.169.254, which is a"
                + " link-local/metadata address and is never fetched", e.getStatus().getDescription());
    }

    @Test
    void missingOriginFileIsFailedPreconditionNamingTheReason() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.submit(
                SubmitRequest.newBuilder().setUrl(origin.url("/missing")).setOutputName(uniqueName()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("ORIGIN_NOT_FOUND: "), e.getStatus().getDescription());
    }

    @Test
    void callsWithoutTheRightTokenAreUnauthenticated() {
        DownloadsGrpc.DownloadsBlockingStub anonymous = DownloadsGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> anonymous.list(ListRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
        assertEquals("UNAUTHENTICATED: missing admin token", missing.getStatus().getDescription());
        StatusRuntimeException workerTokenForAdmin = assertThrows(StatusRuntimeException.class,
                () -> anonymous.withInterceptors(BearerTokens.interceptor("qt-worker-token"))
                        .list(ListRequest.getDefaultInstance()));
        assertEquals("UNAUTHENTICATED: wrong admin token", workerTokenForAdmin.getStatus().getDescription());
        StatusRuntimeException noWorkerToken = assertThrows(StatusRuntimeException.class,
                () -> DownloaderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getChunk(io.p2pdl.proto.v1.GetChunkRequest.newBuilder().setWorkerId("intruder").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, noWorkerToken.getStatus().getCode());
    }

    @Test
    void unknownDownloadIsNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> admin.get(DownloadRef.newBuilder().setId("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void transferForUnknownLeaseIsRejectedWithNotFound() throws Exception {
        CompletableFuture<TransferResult> result = new CompletableFuture<>();
        StreamObserver<TransferFrame> frames = DownloaderGrpc.newStub(channel)
                .withInterceptors(BearerTokens.interceptor("qt-worker-token")).transferChunk(new StreamObserver<>() {
            @Override
            public void onNext(TransferResult value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        frames.onNext(TransferFrame.newBuilder().setHeader(TransferHeader.newBuilder().setLeaseId("forged")
                .setDownloadId("x").setLength(1)).build());
        frames.onCompleted();
        Throwable t = assertThrows(Exception.class, () -> result.get(30, TimeUnit.SECONDS)).getCause();
        Status status = Status.fromThrowable(t);
        assertEquals(Status.Code.NOT_FOUND, status.getCode());
        assertTrue(status.getDescription().startsWith("UNKNOWN_LEASE: "), status.getDescription());
    }
}
