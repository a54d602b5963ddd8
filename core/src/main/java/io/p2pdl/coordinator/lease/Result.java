package io.p2pdl.coordinator.lease;

/**
 * A value or a transfer rejection with its one-line reason: errors as values, mapped to gRPC
 * status codes at the edge.
 */
public record Result<T>(T value, TransferRejection rejection, String message) {

    public static <T> Result<T> ok(T value) {
        return new Result<>(value, null, null);
    }

    public static <T> Result<T> rejected(TransferRejection rejection, String message) {
        return new Result<>(null, rejection, message);
    }

    public boolean isOk() {
        return rejection == null;
    }
}
