package io.p2pdl.fetch.engine;

import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

/**
 * One attempt at one lease: the ranged GET, checked, its body streamed frame by frame into a
 * fresh {@code TransferChunk} stream as it arrives, then the CRC32C trailer and the result.
 */
final class RangeFetch {

    /** Longest error body read to keep the connection reusable; larger ones close it. */
    private static final int MAX_DRAINED_ERROR_BODY = 64 * 1024;

    private final HttpClient http;
    private final FetchEngineOptions options;
    private final FetchListener listener;

    RangeFetch(HttpClient http, FetchEngineOptions options, FetchListener listener) {
        this.http = http;
        this.options = options;
        this.listener = listener;
    }

    TransferResult attempt(ChunkLease lease, DownloaderGrpc.DownloaderStub stub, ActiveFetch active)
            throws FetchFailureException, TransferRejectedException, InterruptedException {
        HttpResponse<InputStream> response = send(lease, active);
        InputStream body = response.body();
        listener.originResponse(response.statusCode());
        try {
            ResponseCheck.check(lease, response.statusCode(), response.headers(), Instant.now());
        } catch (FetchFailureException e) {
            drainAndClose(body, response.headers().firstValueAsLong("Content-Length").orElse(-1));
            throw e;
        }
        ChunkTransfer transfer = ChunkTransfer.open(stub, TransferHeader.newBuilder()
                .setLeaseId(lease.getLeaseId())
                .setDownloadId(lease.getDownloadId())
                .setChunkIndex(lease.getChunkIndex())
                .setOffset(lease.getOffset())
                .setLength(lease.getLength())
                .setWorkerId(options.workerId())
                .build());
        active.attachBody(body, transfer);
        boolean done = false;
        try (body) {
            int crc = stream(lease, body, transfer, active);
            TransferResult result = transfer.finish(crc, options.requestTimeout().toMillis(), active);
            done = true;
            return result;
        } catch (TimeoutException e) {
            throw new TransferRejectedException(io.grpc.Status.DEADLINE_EXCEEDED
                    .withDescription("no transfer result within " + options.requestTimeout()));
        } catch (IOException e) {
            // Only from closing the body, after all bytes were read: harmless.
            done = true;
            throw new FetchFailureException(FetchFailureKind.TRANSIENT, 206, "closing origin body: " + e.getMessage());
        } finally {
            if (!done) {
                transfer.cancel("origin fetch failed");
            }
        }
    }

    private HttpResponse<InputStream> send(ChunkLease lease, ActiveFetch active)
            throws FetchFailureException, InterruptedException {
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(
                RangeRequests.build(lease, options.requestTimeout()), HttpResponse.BodyHandlers.ofInputStream());
        active.attachResponse(future);
        try {
            return future.get();
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

    /** Streams exactly the lease's bytes and returns their CRC32C. */
    private int stream(ChunkLease lease, InputStream body, ChunkTransfer transfer, ActiveFetch active)
            throws FetchFailureException, TransferRejectedException, InterruptedException {
        CRC32C crc = new CRC32C();
        long remaining = lease.getLength();
        try {
            while (remaining > 0) {
                // A fresh array per frame: the frame wraps it without copying until gRPC sent it.
                byte[] frame = new byte[(int) Math.min(ChunkTransfer.MAX_FRAME, remaining)];
                int filled = fill(body, frame);
                if (filled < 0) {
                    throw new FetchFailureException(FetchFailureKind.TRANSIENT, 206, "origin body ended after "
                            + (lease.getLength() - remaining) + " of " + lease.getLength() + " bytes");
                }
                active.touch(filled);
                listener.bytesFetched(filled);
                crc.update(frame, 0, filled);
                transfer.sendData(frame, filled, active);
                listener.bytesTransferred(filled);
                remaining -= filled;
            }
            if (body.read() >= 0) {
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
     * Reads at least one byte (blocking), then whatever else is already buffered, up to the
     * frame size: frames go out as soon as data arrives instead of waiting for 256 KiB.
     * Returns -1 at end of body.
     */
    private static int fill(InputStream in, byte[] frame) throws IOException {
        int n = in.read(frame, 0, frame.length);
        if (n < 0) {
            return -1;
        }
        int filled = n;
        while (filled < frame.length && in.available() > 0) {
            n = in.read(frame, filled, frame.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    private static void drainAndClose(InputStream body, long contentLength) {
        try (body) {
            // Small error bodies of known length are read so the keep-alive connection can be
            // reused; anything else (a whole file answered with 200) closes the connection.
            if (contentLength >= 0 && contentLength <= MAX_DRAINED_ERROR_BODY) {
                body.readNBytes((int) contentLength);
            }
        } catch (IOException ignored) {
            // The connection is discarded instead.
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
