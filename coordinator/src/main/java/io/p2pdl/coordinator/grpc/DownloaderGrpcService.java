package io.p2pdl.coordinator.grpc;

import io.p2pdl.coordinator.download.ChunkReceiver;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.TransferException;
import io.p2pdl.proto.v1.Downloader;
import io.p2pdl.proto.v1.GetChunkRequest;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.ReleaseChunkResponse;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferResult;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.util.Optional;

/** The worker-facing service: lease, receive, release. */
@GrpcService
public class DownloaderGrpcService implements Downloader {

    @Inject
    DownloadService downloads;

    @Override
    public Uni<GetChunkResponse> getChunk(GetChunkRequest request) {
        // Without work the answer comes later (long poll, request.wait_ms); no thread waits for it.
        return Uni.createFrom().completionStage(() -> downloads.getChunk(request.getWorkerId(), request.getWaitMs(),
                request.getAhead()));
    }

    /** A lease for {@code workerId}, or no work with when to ask again. */

    /**
     * Frames are handled one at a time, in order, on worker threads (they write to disk), and the
     * next frame is requested only when the previous one is written: gRPC flow control then bounds
     * memory per stream to about one frame.
     */
    @Override
    public Uni<TransferResult> transferChunk(Multi<TransferFrame> frames) {
        ChunkReceiver receiver = downloads.receiver();
        return frames
                .onItem().transformToUniAndConcatenate(frame -> Uni.createFrom()
                        .item(() -> accept(receiver, frame))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().first()
                .onItem().ifNull().failWith(receiver::incomplete)
                .onCancellation().invoke(receiver::abort)
                .onFailure().invoke(e -> receiver.abort())
                .onFailure().transform(StatusMapping::toStatus);
    }

    private static Optional<TransferResult> accept(ChunkReceiver receiver, TransferFrame frame) {
        try {
            return receiver.accept(frame);
        } catch (TransferException e) {
            throw new WrappedTransferException(e);
        }
    }

    @Override
    @Blocking
    public Uni<ReleaseChunkResponse> releaseChunk(ReleaseChunkRequest request) {
        return Uni.createFrom().item(() -> {
            downloads.release(request);
            return ReleaseChunkResponse.getDefaultInstance();
        });
    }

    /** Carries a checked rejection through Mutiny's unchecked suppliers. */
    static final class WrappedTransferException extends RuntimeException {
        WrappedTransferException(TransferException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
