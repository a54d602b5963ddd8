package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.fetch.origin.UrlRedactor;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoreDefaultsTest {

    @Test
    void durationsParseLikeTheConfiguration() {
        assertEquals(Duration.ofMillis(500), CoreDefaults.duration("500MS"));
        assertEquals(Duration.ofSeconds(30), CoreDefaults.duration("30s"));
        assertEquals(Duration.ofMinutes(2), CoreDefaults.duration("2M"));
        assertEquals(Duration.ofHours(1), CoreDefaults.duration("1H"));
        assertThrows(IllegalArgumentException.class, () -> CoreDefaults.duration("3D"));
    }

    @Test
    void sizesAreBinary() {
        assertEquals(1L << 20, CoreDefaults.size("1M"));
        assertEquals(512L << 10, CoreDefaults.size("512k"));
        assertEquals(64L << 40, CoreDefaults.size("64T"));
        assertEquals(4096, CoreDefaults.size("4096"));
    }

    @Test
    void settingsCarryEveryDefault() {
        CoordinatorSettings s = CoreDefaults.settings(Path.of("/d"), Path.of("/s"), "n", UrlRedactor.DEFAULT);
        assertEquals(4L << 20, s.defaultChunkSize());
        assertEquals(1L << 20, s.withDefaultChunkSize(CoreDefaults.size(CoreDefaults.LOCAL_CHUNK_SIZE)).defaultChunkSize());
        assertEquals(s.lease(), s.withDefaultChunkSize(1).lease());
        assertEquals(Duration.ofMillis(200), s.fsyncInterval());
        assertEquals(Duration.ofSeconds(60), s.reResolveInterval());
        assertEquals(CoordinatorSettings.DEFAULT_MAX_ACTIVE_DOWNLOADS, s.maxActiveDownloads());
        assertEquals(CoordinatorSettings.DEFAULT_MAX_FILE_SIZE, s.maxFileSize());
        LeasePolicy p = s.lease();
        assertEquals(Duration.ofSeconds(30), p.ttl());
        assertEquals(1, p.maxDuplicates());
        assertEquals(Duration.ofSeconds(1), p.noWorkRetryAfter());
        assertEquals(Duration.ofSeconds(2), p.endgameMinAge());
        assertEquals(LeasePolicy.DEFAULT_MAX_LEASES_PER_WORKER, p.maxLeasesPerWorker());
        assertEquals(p, LeasePolicy.defaults());
    }
}
