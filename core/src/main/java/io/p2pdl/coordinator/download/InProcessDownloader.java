package io.p2pdl.coordinator.download;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.engine.ChunkSink;
import io.p2pdl.fetch.engine.CoordinatorLink;
import io.p2pdl.fetch.engine.CoordinatorLinks;
import io.p2pdl.fetch.engine.TransferRejectedException;
import io.p2pdl.fetch.engine.TransferWatch;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferResult;
import io.p2pdl.proto.v1.TransferTrailer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code Downloader} protocol as direct calls into this coordinator, for its embedded workers:
 * the same leases, receiver checks and statuses as over gRPC, without serialisation, loopback
 * sockets or flow control. Chunk bytes go from the origin's response straight to the
 * {@code .part} file on the fetching thread.
 */
public final class InProcessDownloader implements CoordinatorLink {

    /** The one target embedded workers "discover". */
    public static final CoordinatorTarget TARGET = new CoordinatorTarget("in-process", 1);

    private final DownloadService downloads;

    public InProcessDownloader(DownloadService downloads) {
        this.downloads = downloads;
    }

    @Override
    public GetChunkResponse getChunk(String workerId, Duration wait, Duration timeout, boolean ahead) {
        CompletableFuture<GetChunkResponse> answer = downloads.getChunk(workerId, wait.toMillis(), ahead);
        try {
            return answer.get(timeout.plus(wait).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // A lease answered after this is given back by the service (the answer is cancelled).
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            throw Status.INTERNAL.withDescription(String.valueOf(e.getCause())).withCause(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer from the coordinator").asRuntimeException();
        }
    }

    @Override
    public ChunkSink open(TransferHeader header, TransferWatch watch) throws TransferRejectedException {
        Sink sink = new Sink(downloads.receiver());
        sink.accept(TransferFrame.newBuilder().setHeader(header).build());
        return sink;
    }

    @Override
    public void release(ReleaseChunkRequest request, Duration timeout) {
        downloads.release(request);
    }

    /** Links for a fetch engine whose only coordinator is this one. */
    public CoordinatorLinks links() {
        return new CoordinatorLinks() {
            private volatile boolean closed;

            @Override
            public Optional<CoordinatorLink> link(CoordinatorTarget target) {
                return closed || !TARGET.equals(target) ? Optional.empty() : Optional.of(InProcessDownloader.this);
            }

            @Override
            public void retainOnly(Collection<CoordinatorTarget> targets) {
                // Nothing to close: the link is this object.
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** One chunk fed to a receiver on the caller's thread. */
    private static final class Sink implements ChunkSink {
        private final ChunkReceiver receiver;

        Sink(ChunkReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void data(ByteBuffer frame) throws TransferRejectedException {
            accept(TransferFrame.newBuilder().setData(UnsafeByteOperations.unsafeWrap(frame)).build());
        }

        @Override
        public TransferResult finish(int crc32c, long timeoutMillis) throws TransferRejectedException {
            return accept(TransferFrame.newBuilder()
                    .setTrailer(TransferTrailer.newBuilder().setCrc32C(crc32c)).build())
                    .orElseThrow(() -> new IllegalStateException("trailer accepted without a result"));
        }

        @Override
        public void cancel(String why) {
            receiver.abort();
        }

        /** Written before this returns: the caller may reuse its buffer. */
        @Override
        public boolean retainsData() {
            return false;
        }

        private Optional<TransferResult> accept(TransferFrame frame) throws TransferRejectedException {
            try {
                return receiver.accept(frame);
            } catch (TransferException e) {
                StatusRuntimeException status = GrpcStatuses.of(e);
                throw new TransferRejectedException(status.getStatus());
            }
        }
    }
}
