package io.p2pdl.e2e.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The admin API ({@code p2pdl.v1.Downloads}) of one coordinator on loopback, as a blocking client. */
public final class AdminClient implements AutoCloseable {

    /** Submit probes the origin, which may be slow on purpose. */
    private static final long SUBMIT_DEADLINE_MS = 30_000;
    private static final long CALL_DEADLINE_MS = 5_000;

    private final ManagedChannel channel;
    private final DownloadsGrpc.DownloadsBlockingStub stub;

    public AdminClient(int port) {
        this("127.0.0.1", port, io.p2pdl.fetch.tls.ClientTls.PLAINTEXT);
    }

    /** A client of the coordinator on loopback {@code port}, over plaintext or TLS as {@code tls} says. */
    public AdminClient(int port, io.p2pdl.fetch.tls.ClientTls tls) {
        this("127.0.0.1", port, tls);
    }

    /** A client of the coordinator at {@code host:port} (a loopback or test-namespace address). */
    public AdminClient(String host, int port) {
        this(host, port, io.p2pdl.fetch.tls.ClientTls.PLAINTEXT);
    }

    private AdminClient(String host, int port, io.p2pdl.fetch.tls.ClientTls tls) {
        this.channel = tls.configure(NettyChannelBuilder.forAddress(host, port))
                .intercept(io.p2pdl.fetch.auth.BearerTokens.interceptor(Tokens.ADMIN)).build();
        this.stub = DownloadsGrpc.newBlockingStub(channel);
    }

    /** Submits {@code url} as {@code outputName} with chunks of {@code chunkSize} bytes (0: default). */
    public Download submit(String url, String outputName, long chunkSize) {
        return stub.withDeadlineAfter(SUBMIT_DEADLINE_MS, TimeUnit.MILLISECONDS).submit(SubmitRequest.newBuilder()
                .setUrl(url).setOutputName(outputName).setChunkSizeBytes(chunkSize).build());
    }

    /** The raw stub with a short deadline, for calls this class does not wrap. */
    public DownloadsGrpc.DownloadsBlockingStub stub() {
        return stub.withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    public Download get(String id) {
        return stub.withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .get(DownloadRef.newBuilder().setId(id).build());
    }

    /**
     * Polls until download {@code id} is COMPLETED and returns it; fails at once, quoting the reason,
     * when it FAILED instead.
     */
    public Download awaitCompleted(String id, Duration timeout) {
        Download last = Await.until("download " + id + " COMPLETED", timeout, () -> get(id),
                d -> d.getState() == DownloadState.COMPLETED || d.getState() == DownloadState.FAILED);
        if (last.getState() == DownloadState.FAILED) {
            throw new AssertionError("download " + id + " FAILED with " + last.getFailureReason() + ": "
                    + last.getMessage());
        }
        return last;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
