package io.p2pdl.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.p2pdl.fetch.tls.ClientTls;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.WatchRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The CLI's connection to one coordinator's {@code Downloads} admin service. Every unary call has a
 * deadline, so a hung coordinator ends the command with exit 3 instead of hanging a Job forever;
 * Watch has none (it lasts as long as the download) and relies on HTTP/2 keepalive instead.
 * Errors leave as {@link io.p2pdl.cli.CliFailure} with the exit code already decided.
 */
public final class CoordinatorClient implements DownloadsApi, AutoCloseable {

    /** Deadline of quick calls (Get, List, Cancel, Pause, Resume). */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(15);
    /** Submit probes the origin (redirects, slow TLS), so it may take much longer than a status call. */
    static final Duration SUBMIT_DEADLINE = Duration.ofSeconds(120);

    private final CoordinatorAddress address;
    private final ClientTls tls;
    private final ManagedChannel channel;
    private final DownloadsGrpc.DownloadsBlockingStub stub;
    private final AtomicBoolean answered = new AtomicBoolean();

    /** Opens a plaintext channel to {@code address} without a token. */
    public CoordinatorClient(CoordinatorAddress address) {
        this(address, java.util.Optional.empty());
    }

    /** Opens a plaintext channel to {@code address} that presents {@code adminToken} on every call. */
    public CoordinatorClient(CoordinatorAddress address, java.util.Optional<String> adminToken) {
        this(address, adminToken, ClientTls.PLAINTEXT);
    }

    /**
     * Opens a channel to {@code address}, plaintext or TLS as {@code tls} says, that presents
     * {@code adminToken} on every call; connecting happens lazily on the first call.
     */
    public CoordinatorClient(CoordinatorAddress address, java.util.Optional<String> adminToken, ClientTls tls) {
        this.address = address;
        this.tls = tls;
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address.target());
        adminToken.ifPresent(t -> builder.intercept(io.p2pdl.fetch.auth.BearerTokens.interceptor(t)));
        this.channel = tls.configure(builder)
                // Pings detect a coordinator that vanished without closing the connection during a
                // long Watch; servers must permit one per 30 s (grpc-java's default allows 5 min
                // only while idle, and a Watch stream is never idle).
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .build();
        this.stub = DownloadsGrpc.newBlockingStub(channel);
    }

    /** The address this client talks to. */
    public CoordinatorAddress address() {
        return address;
    }

    /** Submits a download; the coordinator probes the origin before answering. */
    @Override
    public Download submit(SubmitRequest request) {
        return call("submit", s -> s.withDeadlineAfter(SUBMIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).submit(request));
    }

    /** One download's status. */
    @Override
    public Download get(String id) {
        return call("status of " + id, s -> quick(s).get(ref(id)));
    }

    /** All downloads, newest first. */
    @Override
    public List<Download> list() {
        return call("list", s -> quick(s).list(ListRequest.getDefaultInstance()).getDownloadsList());
    }

    /** Cancels a download for good. */
    public Download cancel(String id) {
        return call("cancel " + id, s -> quick(s).cancel(ref(id)));
    }

    /** Pauses a download. */
    public Download pause(String id) {
        return call("pause " + id, s -> quick(s).pause(ref(id)));
    }

    /** Resumes a paused download or retries a resumable failed one. */
    @Override
    public Download resume(String id) {
        return call("resume " + id, s -> quick(s).resume(ref(id)));
    }

    /**
     * Follows a download: a status every {@code interval} and at each state change, ending with the
     * terminal state. Errors while iterating are {@link StatusRuntimeException}s; pass them to
     * {@link #failure(String, StatusRuntimeException)}.
     */
    @Override
    public Iterator<Download> watch(String id, Duration interval) {
        WatchRequest request = WatchRequest.newBuilder().setId(id).setIntervalMs((int) interval.toMillis()).build();
        Iterator<Download> stream = call("watch " + id, s -> s.watch(request));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stream.hasNext();
            }

            @Override
            public Download next() {
                Download next = stream.next();
                answered.set(true);
                return next;
            }
        };
    }

    /**
     * True once the coordinator has answered any call of this client: a coordinator that never
     * answered is unreachable, one that did and then vanished is probably restarting.
     */
    @Override
    public boolean hasAnswered() {
        return answered.get();
    }

    /** The failure to report for an error of a call described by {@code action}. */
    @Override
    public io.p2pdl.cli.CliFailure failure(String action, StatusRuntimeException e) {
        return GrpcFailures.toFailure(action, address, e, tls.enabled());
    }

    private static DownloadsGrpc.DownloadsBlockingStub quick(DownloadsGrpc.DownloadsBlockingStub s) {
        return s.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static DownloadRef ref(String id) {
        return DownloadRef.newBuilder().setId(id).build();
    }

    private <T> T call(String action, Function<DownloadsGrpc.DownloadsBlockingStub, T> rpc) {
        try {
            T result = rpc.apply(stub);
            answered.set(true);
            return result;
        } catch (StatusRuntimeException e) {
            throw failure(action, e);
        }
    }

    /**
     * Lets the next call connect at once even if an earlier connection attempt failed (gRPC would
     * otherwise wait out its reconnect backoff of 1 s and more).
     */
    public void retryConnectingNow() {
        channel.resetConnectBackoff();
    }

    /** Closes the channel, cancelling a Watch in progress. */
    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
