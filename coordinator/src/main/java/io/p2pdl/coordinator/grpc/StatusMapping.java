package io.p2pdl.coordinator.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.coordinator.download.DownloadException;
import io.p2pdl.coordinator.download.TransferError;
import io.p2pdl.coordinator.download.TransferException;
import org.jboss.logging.Logger;

/** Maps the core's error values to gRPC statuses: the edge of the service. */
final class StatusMapping {

    private static final Logger LOG = Logger.getLogger(StatusMapping.class);

    private StatusMapping() {
    }

    static Throwable toStatus(Throwable t) {
        if (t instanceof DownloaderGrpcService.WrappedTransferException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException) {
            return t;
        }
        if (t instanceof DownloadException e) {
            return code(e.kind()).withDescription(e.describe()).asRuntimeException();
        }
        if (t instanceof TransferException e) {
            return code(e.error()).withDescription(e.error().name() + ": " + e.getMessage()).asRuntimeException();
        }
        if (t instanceof InterruptedException) {
            return Status.CANCELLED.withDescription("coordinator is shutting down").asRuntimeException();
        }
        LOG.error("unexpected error", t);
        return Status.INTERNAL.withDescription("INTERNAL: " + t).asRuntimeException();
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
