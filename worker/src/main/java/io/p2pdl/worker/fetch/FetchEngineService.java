package io.p2pdl.worker.fetch;

import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.StaticDiscovery;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.engine.FetchEngineOptions;
import io.p2pdl.fetch.engine.FetchListener;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.worker.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the {@link FetchEngine} for the life of the service: starts it once Quarkus is up and,
 * on shutdown (SIGTERM), stops taking work, drains and gives back what is left.
 */
@ApplicationScoped
public class FetchEngineService {

    private static final Logger LOG = Logger.getLogger(FetchEngineService.class);

    private final WorkerConfig config;
    private CoordinatorDiscovery discovery;
    private FetchEngine engine;
    private String workerId;

    FetchEngineService(WorkerConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        workerId = WorkerIdentity.resolve(config.id());
        discovery = StaticDiscovery.of(config.coordinators().orElse(List.of()));
        OriginHttpOptions http = OriginHttpOptions.defaults();
        if (config.extraCaBundle().isPresent()) {
            http = http.withExtraCaBundle(config.extraCaBundle().get());
        }
        engine = new FetchEngine(new FetchEngineOptions(workerId, config.concurrency(), config.maxIdleBackoff(),
                config.fetchAttempts(), config.requestTimeout(), config.drainTimeout()),
                discovery, OriginHttp.newClient(http), FetchListener.NONE);
        engine.start();
        LOG.infof("worker %s serving %s", workerId, discovery.coordinators());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.stop();
        }
        if (discovery != null) {
            discovery.close();
        }
    }

    /** The coordinators the engine currently knows (empty before start). */
    public List<CoordinatorTarget> knownCoordinators() {
        if (engine != null && !engine.knownCoordinators().isEmpty()) {
            return engine.knownCoordinators();
        }
        return discovery == null ? List.of() : discovery.coordinators();
    }

    /** Chunks leased and not yet transferred or released. */
    public int inFlight() {
        return engine == null ? 0 : engine.inFlight();
    }

    /** This worker's identity. */
    public String workerId() {
        return workerId;
    }
}
