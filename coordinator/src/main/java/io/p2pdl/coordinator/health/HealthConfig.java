package io.p2pdl.coordinator.health;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Health settings of the coordinator ({@code p2pdl.coordinator.health.*}). */
@ConfigMapping(prefix = "p2pdl.coordinator.health")
public interface HealthConfig {

    /**
     * Readiness needs at least this much free space on the data volume. Kept small on purpose:
     * files are preallocated sparse and fill the volume as chunks land, and an unready coordinator
     * drops out of the workers' discovery, so a high threshold would stall downloads that fit.
     */
    @WithDefault("64M")
    MemorySize minFreeSpace();
}
