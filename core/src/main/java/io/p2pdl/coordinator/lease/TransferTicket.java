package io.p2pdl.coordinator.lease;

/**
 * What {@link LeaseTable#beginTransfer} grants a transfer stream.
 *
 * @param lease the lease the transfer fulfils
 * @param claim the write claim; null in {@code verifyOnly} mode
 * @param verifyOnly true when the chunk is already written: the bytes are checked and dropped
 * @param standby true when another lease's transfer holds the chunk's region: the bytes are kept
 *     aside and, once complete and verified, {@link LeaseTable#promote promoted} into place
 */
public record TransferTicket(Lease lease, TransferClaim claim, boolean verifyOnly, boolean standby) {
}
