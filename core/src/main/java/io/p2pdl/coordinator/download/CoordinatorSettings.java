package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.fetch.origin.UrlRedactor;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the download service needs from configuration, as plain values so it is built in tests
 * without the framework.
 *
 * @param dataDir where output files go
 * @param stateDir where journals go
 * @param nodeName this coordinator's name, prefix of its download ids
 * @param defaultChunkSize chunk size when a submit names none
 * @param lease lease tunables
 * @param fsyncInterval how often written chunks are forced to disk and journaled
 * @param reResolveInterval least time between two re-resolutions of one download's URL
 * @param maxActiveDownloads most downloads not yet COMPLETED or FAILED at once; Submit refuses more
 * @param maxFileSize largest file accepted, in bytes
 * @param redactor how URLs are redacted in status, logs and failure messages
 */
public record CoordinatorSettings(Path dataDir, Path stateDir, String nodeName, long defaultChunkSize,
        LeasePolicy lease, Duration fsyncInterval, Duration reResolveInterval, int maxActiveDownloads,
        long maxFileSize, UrlRedactor redactor) {

    /** Default limits for {@code maxActiveDownloads} and {@code maxFileSize}. */
    public static final int DEFAULT_MAX_ACTIVE_DOWNLOADS = 256;
    public static final long DEFAULT_MAX_FILE_SIZE = 64L << 40;

    /** Settings with the built-in redaction. */
    public CoordinatorSettings(Path dataDir, Path stateDir, String nodeName, long defaultChunkSize, LeasePolicy lease,
            Duration fsyncInterval, Duration reResolveInterval, int maxActiveDownloads, long maxFileSize) {
        this(dataDir, stateDir, nodeName, defaultChunkSize, lease, fsyncInterval, reResolveInterval,
                maxActiveDownloads, maxFileSize, UrlRedactor.DEFAULT);
    }

    /** A copy planning chunks of {@code bytes} when a submit names no size. */
    public CoordinatorSettings withDefaultChunkSize(long bytes) {
        return new CoordinatorSettings(dataDir, stateDir, nodeName, bytes, lease, fsyncInterval, reResolveInterval,
                maxActiveDownloads, maxFileSize, redactor);
    }

    /** A copy redacting URLs with {@code urlRedactor}. */
    public CoordinatorSettings withRedactor(UrlRedactor urlRedactor) {
        return new CoordinatorSettings(dataDir, stateDir, nodeName, defaultChunkSize, lease, fsyncInterval,
                reResolveInterval, maxActiveDownloads, maxFileSize, urlRedactor);
    }

    /** Settings with the default limits. */
    public CoordinatorSettings(Path dataDir, Path stateDir, String nodeName, long defaultChunkSize, LeasePolicy lease,
            Duration fsyncInterval, Duration reResolveInterval) {
        this(dataDir, stateDir, nodeName, defaultChunkSize, lease, fsyncInterval, reResolveInterval,
                DEFAULT_MAX_ACTIVE_DOWNLOADS, DEFAULT_MAX_FILE_SIZE);
    }
}
