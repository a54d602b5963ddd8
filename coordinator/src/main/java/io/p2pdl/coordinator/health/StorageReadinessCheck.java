package io.p2pdl.coordinator.health;

import io.p2pdl.coordinator.download.CoordinatorSettings;
import io.p2pdl.coordinator.download.DownloadService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the state directory takes new files and the data volume has at least
 * {@code p2pdl.coordinator.health.min-free-space} free: otherwise every submit and every chunk
 * would fail, and workers (which only serve ready coordinators) should go elsewhere.
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final StorageProbe probe;
    private final long minFree;

    StorageReadinessCheck(DownloadService downloads, HealthConfig config) {
        CoordinatorSettings settings = downloads.settings();
        this.minFree = config.minFreeSpace().asLongValue();
        this.probe = new StorageProbe(settings.stateDir(), settings.dataDir(), minFree);
    }

    @Override
    public HealthCheckResponse call() {
        StorageProbe.Result result = probe.check();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("storage").status(result.ok())
                .withData("usableBytes", result.usableBytes()).withData("minFreeBytes", minFree);
        if (!result.ok()) {
            b.withData("problem", String.join("; ", result.problems()));
        }
        return b.build();
    }
}
