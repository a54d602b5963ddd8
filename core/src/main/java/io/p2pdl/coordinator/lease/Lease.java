package io.p2pdl.coordinator.lease;

/**
 * A snapshot of one lease as handed to a worker.
 *
 * @param leaseId opaque id the worker sends back
 * @param downloadId download the chunk belongs to
 * @param chunk chunk index in the download's plan
 * @param offset first byte of the chunk
 * @param length bytes in the chunk
 * @param workerId the worker holding it
 * @param expiresAtNanos expiry on the table's monotonic clock
 * @param duplicate true for an endgame duplicate of a chunk another worker also holds
 * @param issuedAtNanos when the lease was handed out, on the table's monotonic clock
 */
public record Lease(String leaseId, String downloadId, int chunk, long offset, long length, String workerId,
        long expiresAtNanos, boolean duplicate, long issuedAtNanos) {
}
