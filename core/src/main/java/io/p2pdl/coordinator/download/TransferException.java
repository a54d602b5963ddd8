package io.p2pdl.coordinator.download;

/** A rejected transfer: the reason code and one human line. */
public final class TransferException extends Exception {

    private final TransferError error;

    public TransferException(TransferError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public TransferError error() {
        return error;
    }
}
