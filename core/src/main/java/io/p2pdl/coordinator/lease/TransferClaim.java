package io.p2pdl.coordinator.lease;

import java.io.IOException;

/**
 * The right of one transfer stream to write one chunk's region of the file. When a second transfer
 * of the same chunk starts (endgame duplicate, or a retry), it takes over and the older claim is
 * invalidated; because every write runs under the claim's monitor and checks validity first, a
 * superseded stream can never write after the new owner has started.
 */
public final class TransferClaim {

    /** A write to run while the claim is still valid. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private final String leaseId;
    private boolean valid = true;

    TransferClaim(String leaseId) {
        this.leaseId = leaseId;
    }

    /** The lease whose transfer holds this claim. */
    String leaseId() {
        return leaseId;
    }

    /**
     * Runs {@code write} if this claim is still the chunk's owner.
     *
     * @return false, without running it, when the claim was superseded
     */
    public synchronized boolean writeIfValid(Write write) throws IOException {
        if (!valid) {
            return false;
        }
        write.run();
        return true;
    }

    /** Whether no newer transfer has taken the chunk over. */
    public synchronized boolean isValid() {
        return valid;
    }

    /** Waits for a write in progress, then forbids further writes. */
    synchronized void invalidate() {
        valid = false;
    }
}
