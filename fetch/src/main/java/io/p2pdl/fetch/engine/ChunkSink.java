package io.p2pdl.fetch.engine;

import io.p2pdl.proto.v1.TransferResult;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;

/**
 * Where the bytes of one leased chunk go: a {@code TransferChunk} stream to a remote coordinator,
 * or straight into the receiving side of a coordinator in the same process. One attempt opens one
 * sink (the header is sent on open), feeds it data in order from one thread, then finishes or
 * cancels it.
 */
public interface ChunkSink {

    /**
     * Hands over the bytes between {@code frame}'s position and limit, blocking while the receiver
     * cannot take more (flow control).
     */
    void data(ByteBuffer frame) throws TransferRejectedException, InterruptedException;

    /** Ends the chunk with its CRC32C and returns the coordinator's verdict. */
    TransferResult finish(int crc32c, long timeoutMillis)
            throws TransferRejectedException, InterruptedException, TimeoutException;

    /** Abandons the chunk; the receiver discards what it got. Safe to call at any time, also twice. */
    void cancel(String why);

    /**
     * Whether the sink keeps a reference to buffers given to {@link #data} after it returns (a gRPC
     * message wrapping it until sent). When false the caller may reuse one buffer for all frames.
     */
    default boolean retainsData() {
        return true;
    }
}
