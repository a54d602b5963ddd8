package io.p2pdl.fetch.engine;

import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.zip.CRC32C;

/**
 * One attempt at one lease: the ranged GET, checked, its body streamed frame by frame into the
 * coordinator's {@link ChunkSink} as it arrives, then the CRC32C trailer and the result. Plain
 * http origins without a proxy are fetched with {@link PlainHttp}, everything else with the JDK
 * client.
 */
final class RangeFetch implements AutoCloseable {

    private final HttpClient http;
    private final PlainHttp plain;
    private final FetchEngineOptions options;
    private final FetchListener listener;
    /** Per slot thread: the frame buffer reused when the sink does not keep frames. */
    private final ThreadLocal<ByteBuffer> directFrame =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(ChunkTransfer.MAX_FRAME));
    private final ThreadLocal<ByteBuffer> heapFrame =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(ChunkTransfer.MAX_FRAME));

    RangeFetch(HttpClient http, FetchEngineOptions options, FetchListener listener) {
        this.http = http;
        this.plain = new PlainHttp(http.connectTimeout().orElse(options.requestTimeout()));
        this.options = options;
        this.listener = listener;
    }

    TransferResult attempt(ChunkLease lease, CoordinatorLink link, ActiveFetch active)
            throws FetchFailureException, TransferRejectedException, InterruptedException {
        OriginGuard.check(options.originPolicy(), lease);
        OriginExchange exchange = send(lease, active);
        listener.originResponse(exchange.status());
        try {
            ResponseCheck.check(lease, exchange.status(), exchange.headers(), Instant.now());
        } catch (FetchFailureException e) {
            exchange.discard();
            throw e;
        }
        ChunkSink transfer;
        try {
            transfer = link.open(TransferHeader.newBuilder()
                    .setLeaseId(lease.getLeaseId())
                    .setDownloadId(lease.getDownloadId())
                    .setChunkIndex(lease.getChunkIndex())
                    .setOffset(lease.getOffset())
                    .setLength(lease.getLength())
                    .setWorkerId(options.workerId())
                    .build(), active);
        } catch (TransferRejectedException e) {
            closeQuietly(exchange);
            throw e;
        }
        active.attachBody(exchange, transfer);
        boolean done = false;
        try {
            int crc;
            try {
                crc = stream(lease, exchange, transfer, active);
            } finally {
                closeQuietly(exchange); // after all bytes were read a failing close is harmless
            }
            // The connection is back in the pool: the slot's next fetch may start while the
            // coordinator checks this chunk.
            active.bodyRead();
            TransferResult result = transfer.finish(crc, options.requestTimeout().toMillis());
            done = true;
            return result;
        } catch (TimeoutException e) {
            throw new TransferRejectedException(io.grpc.Status.DEADLINE_EXCEEDED
                    .withDescription("no transfer result within " + options.requestTimeout()));
        } finally {
            if (!done) {
                transfer.cancel("origin fetch failed");
            }
        }
    }

    private OriginExchange send(ChunkLease lease, ActiveFetch active) throws FetchFailureException, InterruptedException {
        URI uri = RangeRequests.uri(lease);
        if (PlainHttp.applies(http, uri)) {
            try {
                return plain.send(uri, RangeRequests.headers(lease), active);
            } catch (IOException e) {
                throw new FetchFailureException(FetchFailureKind.TRANSIENT, 0, active.abortReason() == ActiveFetch.AbortReason.IDLE
                        ? "origin sent no response within " + options.requestTimeout()
                        : "origin request failed: " + describe(e));
            }
        }
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(
                RangeRequests.build(lease, options.requestTimeout()), HttpResponse.BodyHandlers.ofInputStream());
        active.attachResponse(future);
        try {
            return new JdkExchange(future.get());
        } catch (CancellationException e) {
            throw new FetchFailureException(FetchFailureKind.TRANSIENT, 0, "request aborted (" + active.abortReason() + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new FetchFailureException(FetchFailureKind.TRANSIENT, 0,
                        "origin sent no response within " + options.requestTimeout());
            }
            throw new FetchFailureException(FetchFailureKind.TRANSIENT, 0, "origin request failed: " + describe(cause));
        }
    }

    /** Longest time a frame for a gRPC sink waits to fill before it is sent: well under a lease TTL. */
    static final long COALESCE_NANOS = 200_000_000L;

    /** Streams exactly the lease's bytes and returns their CRC32C. */
    private int stream(ChunkLease lease, OriginExchange body, ChunkSink transfer, ActiveFetch active)
            throws FetchFailureException, TransferRejectedException, InterruptedException {
        CRC32C crc = new CRC32C();
        long remaining = lease.getLength();
        try {
            while (remaining > 0) {
                ByteBuffer frame = frame(body, transfer, (int) Math.min(ChunkTransfer.MAX_FRAME, remaining));
                int filled = fill(body, frame, active, transfer.retainsData());
                if (filled < 0) {
                    throw new FetchFailureException(FetchFailureKind.TRANSIENT, 206, "origin body ended after "
                            + (lease.getLength() - remaining) + " of " + lease.getLength() + " bytes");
                }
                frame.flip();
                crc.update(frame.duplicate());
                transfer.data(frame);
                listener.bytesTransferred(filled);
                remaining -= filled;
                active.remaining(remaining, lease.getLength());
            }
            if (body.read(ByteBuffer.allocate(1)) >= 0) {
                throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 206,
                        "origin body is longer than " + lease.getLength() + " bytes");
            }
        } catch (IOException e) {
            String why = active.abortReason() == ActiveFetch.AbortReason.IDLE
                    ? "origin sent nothing for " + options.requestTimeout()
                    : "origin connection failed: " + describe(e);
            throw new FetchFailureException(FetchFailureKind.TRANSIENT, 206,
                    why + " after " + (lease.getLength() - remaining) + " of " + lease.getLength() + " bytes");
        }
        return (int) crc.getValue();
    }

    /**
     * Reads the origin into {@code frame}: one read when the sink writes frames at once (in-process),
     * else reads until the frame is full or {@link #COALESCE_NANOS} passed, so a frame sent over gRPC
     * carries what a slow link delivered in that time rather than one socket read's worth (at 40
     * Mbit/s shared by 4 slots a read returns a few KiB; each frame costs the coordinator a message
     * parse, a thread hop and a write whatever its size).
     *
     * @return bytes read, or -1 when the body ended before any
     */
    private int fill(OriginExchange body, ByteBuffer frame, ActiveFetch active, boolean coalesce) throws IOException {
        return fill(body, frame, n -> {
            active.touch(n);
            listener.bytesFetched(n);
        }, coalesce ? COALESCE_NANOS : 0);
    }

    /**
     * Reads into {@code frame} at least once and then until it is full, the body ends or
     * {@code maxNanos} passed, reporting each read's size to {@code onRead}; -1 when the body had
     * already ended.
     */
    static int fill(OriginExchange body, ByteBuffer frame, IntConsumer onRead, long maxNanos)
            throws IOException {
        long started = System.nanoTime();
        int filled = 0;
        do {
            int n = body.read(frame);
            if (n < 0) {
                return filled == 0 ? -1 : filled;
            }
            filled += n;
            onRead.accept(n);
        } while (frame.hasRemaining() && System.nanoTime() - started < maxNanos);
        return filled;
    }

    /**
     * The buffer for the next frame, empty with {@code size} bytes of room: a fresh array for a
     * sink that wraps frames until sent (gRPC), else this thread's reusable one, direct when the
     * exchange reads from a socket channel.
     */
    private ByteBuffer frame(OriginExchange body, ChunkSink transfer, int size) {
        if (transfer.retainsData()) {
            return ByteBuffer.allocate(size);
        }
        ByteBuffer b = (body.prefersHeapBuffers() ? heapFrame : directFrame).get();
        b.clear().limit(size);
        return b;
    }

    @Override
    public void close() {
        plain.close();
    }

    private static void closeQuietly(OriginExchange exchange) {
        try {
            exchange.close();
        } catch (IOException ignored) {
            // Aborting anyway.
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
