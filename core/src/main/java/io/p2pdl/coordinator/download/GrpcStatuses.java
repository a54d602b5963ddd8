package io.p2pdl.coordinator.download;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The gRPC status each error of the core stands for: what the coordinator's services answer, and
 * what the in-process callers (embedded workers, {@code p2pdl get}) see, so both paths report alike.
 */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    /** The status for a refused admin call; its description starts with the reason code. */
    public static StatusRuntimeException of(DownloadException e) {
        return code(e.kind()).withDescription(e.describe()).asRuntimeException();
    }

    /** The status for a refused transfer; its description starts with the error name. */
    public static StatusRuntimeException of(TransferException e) {
        return code(e.error()).withDescription(e.error().name() + ": " + e.getMessage()).asRuntimeException();
    }

    static Status code(DownloadException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case NOT_FOUND -> Status.NOT_FOUND;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    static Status code(TransferError error) {
        return switch (error) {
            case UNKNOWN_LEASE -> Status.NOT_FOUND;
            case RANGE_MISMATCH, FRAME_TOO_LARGE, TOO_MANY_BYTES, PROTOCOL -> Status.INVALID_ARGUMENT;
            case CHECKSUM_MISMATCH, SHORT_TRANSFER -> Status.DATA_LOSS;
            case DOWNLOAD_NOT_ACTIVE, SUPERSEDED -> Status.FAILED_PRECONDITION;
            case DISK_FULL -> Status.RESOURCE_EXHAUSTED;
            case WRITE_FAILED -> Status.INTERNAL;
        };
    }
}
