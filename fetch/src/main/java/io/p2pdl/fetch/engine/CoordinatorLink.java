package io.p2pdl.fetch.engine;

import io.grpc.StatusRuntimeException;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.TransferHeader;
import java.time.Duration;

/**
 * The worker side of the {@code p2pdl.v1.Downloader} protocol with one coordinator: over gRPC to
 * a remote coordinator, or as direct calls into a coordinator in the same process (its embedded
 * workers), which skips serialisation and loopback entirely. Failures are gRPC statuses either way.
 */
public interface CoordinatorLink {

    /**
     * Asks for a chunk lease, letting the coordinator hold the call up to {@code wait} while it has
     * none (long poll); {@code timeout} is how long an answer may take beyond that.
     */
    default GetChunkResponse getChunk(String workerId, Duration wait, Duration timeout) throws StatusRuntimeException {
        return getChunk(workerId, wait, timeout, false);
    }

    /**
     * As above; {@code ahead}: for a slot that frees up when a body ends, so only a queued chunk
     * (no endgame duplicate), answered at once ({@code GetChunkRequest.ahead}).
     */
    GetChunkResponse getChunk(String workerId, Duration wait, Duration timeout, boolean ahead)
            throws StatusRuntimeException;

    /**
     * Starts transferring a leased chunk: sends {@code header}. A rejected header surfaces at the
     * latest on {@link ChunkSink#finish}.
     *
     * @param watch consulted while the sink waits for the receiver
     */
    ChunkSink open(TransferHeader header, TransferWatch watch) throws TransferRejectedException;

    /** Gives a lease back, with why. */
    void release(ReleaseChunkRequest request, Duration timeout) throws StatusRuntimeException;
}
