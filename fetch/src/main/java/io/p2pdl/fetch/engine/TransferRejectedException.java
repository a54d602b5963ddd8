package io.p2pdl.fetch.engine;

import io.grpc.Status;

/**
 * The coordinator ended a transfer with an error (SUPERSEDED, UNKNOWN_LEASE, ...) or could not be
 * reached during it: the chunk is dropped, the coordinator owns what happens to it next.
 */
public final class TransferRejectedException extends Exception {

    private final transient Status status;

    public TransferRejectedException(Status status) {
        super(status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
