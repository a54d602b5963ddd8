package io.p2pdl.coordinator.download;

/**
 * Observes the coordinator's transfers and downloads: the metrics hook, kept framework-free so
 * the core is built and tested without a meter registry. Methods are called on gRPC and
 * background threads, often concurrently, and must be quick and non-blocking. Every method does
 * nothing by default.
 */
public interface TransferEvents {

    /** Ignores everything. */
    TransferEvents NONE = new TransferEvents() {
    };

    /** Worker {@code workerId} asked for work ({@code GetChunk}), whether it got a lease or not. */
    default void workerSeen(String workerId) {
    }

    /** {@code n} bytes of a chunk transfer were written into a {@code .part} file. */
    default void bytesWritten(long n) {
    }

    /**
     * A transfer ended verified, {@code nanos} after its header arrived: {@code accepted} when its
     * chunk is now written, otherwise a duplicate whose bytes were checked and dropped.
     */
    default void chunkReceived(boolean accepted, long nanos) {
    }

    /** A transfer was refused with {@code reason}; its chunk was not marked written. */
    default void chunkRejected(TransferError reason) {
    }

    /** A download completed after {@code activeMs} of running time (paused time excluded). */
    default void downloadCompleted(long activeMs) {
    }
}
