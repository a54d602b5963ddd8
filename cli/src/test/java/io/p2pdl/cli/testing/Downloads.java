package io.p2pdl.cli.testing;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;

/** Test builders of {@link Download} snapshots. */
public final class Downloads {

    private Downloads() {
    }

    /** A running download of {@code size} bytes with {@code done} bytes written. */
    public static Download running(String id, String name, long size, long done) {
        return Download.newBuilder().setId(id).setOutputName(name).setUrl("http://origin/" + name)
                .setState(DownloadState.RUNNING).setSizeBytes(size).setCompletedBytes(done)
                .setActiveWorkers(2).setResumable(true).build();
    }

    /** The same download COMPLETED after {@code durationMs}. */
    public static Download completed(String id, String name, long size, long durationMs) {
        return running(id, name, size, size).toBuilder().setState(DownloadState.COMPLETED).setActiveWorkers(0)
                .setDurationMs(durationMs).setSha256("ab".repeat(32)).build();
    }

    /** The download FAILED for {@code reason}. */
    public static Download failed(String id, String name, FailureReason reason, String message) {
        return running(id, name, 100, 40).toBuilder().setState(DownloadState.FAILED).setFailureReason(reason)
                .setMessage(message).setActiveWorkers(0).build();
    }
}
