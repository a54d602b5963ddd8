package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.lease.LeasePolicy;
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
 */
public record CoordinatorSettings(Path dataDir, Path stateDir, String nodeName, long defaultChunkSize,
        LeasePolicy lease, Duration fsyncInterval, Duration reResolveInterval) {
}
