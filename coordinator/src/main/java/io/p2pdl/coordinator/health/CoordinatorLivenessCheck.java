package io.p2pdl.coordinator.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the process answers HTTP. Deliberately nothing more: slow disks, a full volume or a
 * busy origin are not cured by a restart (readiness reports storage), and a check that times out
 * under load would make Kubernetes kill a coordinator in the middle of its busiest download.
 */
@Liveness
@ApplicationScoped
public class CoordinatorLivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("coordinator");
    }
}
