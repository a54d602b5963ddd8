package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.util.Locale;

/** Tells a full disk from other I/O errors (Java has no distinct exception for ENOSPC). */
final class DiskErrors {

    private DiskErrors() {
    }

    static FailureReason reasonOf(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("file too large")
                ? FailureReason.DISK_FULL : FailureReason.INTERNAL;
    }
}
