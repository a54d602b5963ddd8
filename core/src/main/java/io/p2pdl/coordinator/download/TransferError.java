package io.p2pdl.coordinator.download;

/**
 * Why a transfer stream is rejected. The name is the reason code that starts the gRPC status
 * description; the gRPC service maps each to its status code (see downloader.proto).
 */
public enum TransferError {
    UNKNOWN_LEASE,
    RANGE_MISMATCH,
    FRAME_TOO_LARGE,
    TOO_MANY_BYTES,
    PROTOCOL,
    CHECKSUM_MISMATCH,
    SHORT_TRANSFER,
    DOWNLOAD_NOT_ACTIVE,
    SUPERSEDED,
    DISK_FULL,
    WRITE_FAILED
}
