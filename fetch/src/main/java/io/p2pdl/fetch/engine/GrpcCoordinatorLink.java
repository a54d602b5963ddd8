package io.p2pdl.fetch.engine;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.GetChunkRequest;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.TransferHeader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A {@link CoordinatorLink} over one gRPC channel to a remote coordinator. */
final class GrpcCoordinatorLink implements CoordinatorLink {

    private final ManagedChannel channel;

    GrpcCoordinatorLink(ManagedChannel channel) {
        this.channel = channel;
    }

    @Override
    public GetChunkResponse getChunk(String workerId, Duration wait, Duration timeout, boolean ahead)
            throws StatusRuntimeException {
        return DownloaderGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.plus(wait).toMillis(), TimeUnit.MILLISECONDS)
                .getChunk(GetChunkRequest.newBuilder().setWorkerId(workerId).setWaitMs(wait.toMillis())
                        .setAhead(ahead).build());
    }

    @Override
    public ChunkSink open(TransferHeader header, TransferWatch watch) {
        return ChunkTransfer.open(DownloaderGrpc.newStub(channel), header, watch);
    }

    @Override
    public void release(ReleaseChunkRequest request, Duration timeout) throws StatusRuntimeException {
        DownloaderGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .releaseChunk(request);
    }
}
