package io.p2pdl.coordinator.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.coordinator.download.DownloadException;
import io.p2pdl.coordinator.download.GrpcStatuses;
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
            return GrpcStatuses.of(e);
        }
        if (t instanceof TransferException e) {
            return GrpcStatuses.of(e);
        }
        if (t instanceof InterruptedException) {
            return Status.CANCELLED.withDescription("coordinator is shutting down").asRuntimeException();
        }
        LOG.error("unexpected error", t);
        return Status.INTERNAL.withDescription("INTERNAL: " + t).asRuntimeException();
    }
}
