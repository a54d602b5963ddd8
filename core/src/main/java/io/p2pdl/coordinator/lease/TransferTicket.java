package io.p2pdl.coordinator.lease;

/**
 * What {@link LeaseTable#beginTransfer} grants a transfer stream.
 *
 * @param lease the lease the transfer fulfils
 * @param claim the write claim; null in {@code verifyOnly} mode
 * @param verifyOnly true when the chunk is already written: the bytes are checked and dropped
 */
public record TransferTicket(Lease lease, TransferClaim claim, boolean verifyOnly) {
}
