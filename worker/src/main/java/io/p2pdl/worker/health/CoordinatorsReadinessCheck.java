package io.p2pdl.worker.health;

import io.p2pdl.worker.fetch.FetchEngineService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when at least one coordinator is known: a worker without one can do nothing. */
@Readiness
@ApplicationScoped
public class CoordinatorsReadinessCheck implements HealthCheck {

    private final FetchEngineService service;

    CoordinatorsReadinessCheck(FetchEngineService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        int known = service.knownCoordinators().size();
        return HealthCheckResponse.named("coordinators")
                .status(known > 0)
                .withData("known", known)
                .withData("inFlight", service.inFlight())
                .build();
    }
}
