package io.p2pdl.coordinator.lease;

/** Why a transfer is refused before or while it writes. The name is the wire reason code. */
public enum TransferRejection {
    /** No such lease, or it expired too long ago. */
    UNKNOWN_LEASE,
    /** Header's download, index, offset or length differ from the lease and plan. */
    RANGE_MISMATCH,
    /** The download is no longer accepting data (completed, failed, cancelled). */
    DOWNLOAD_NOT_ACTIVE,
    /** Another transfer of the same chunk took over. */
    SUPERSEDED
}
