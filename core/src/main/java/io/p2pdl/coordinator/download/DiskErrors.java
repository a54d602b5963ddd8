package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.util.Locale;

/** Tells a full disk from other I/O errors (Java has no distinct exception for ENOSPC). */
final class DiskErrors {

    private DiskErrors() {
    }

    /** One line naming the error: NIO exceptions often carry only a path as their message. */
    static String describe(IOException e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? name : (m.startsWith("/") ? name + ": " + m : m);
    }

    static FailureReason reasonOf(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("file too large")
                ? FailureReason.DISK_FULL : FailureReason.INTERNAL;
    }
}
