package io.p2pdl.worker.fetch;

import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.engine.FetchEngineOptions;
import io.p2pdl.fetch.engine.FetchListener;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.fetch.tls.ClientTls;
import io.p2pdl.worker.WorkerConfig;
import io.p2pdl.worker.discovery.WorkerDiscovery;
import io.p2pdl.worker.metrics.WorkerMetrics;
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
    private final WorkerDiscovery discoveries;
    private final FetchListener metrics;
    private volatile CoordinatorDiscovery discovery;
    private FetchEngine engine;
    private String workerId;

    FetchEngineService(WorkerConfig config, WorkerDiscovery discoveries, WorkerMetrics metrics) {
        this.config = config;
        this.discoveries = discoveries;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        workerId = WorkerIdentity.resolve(config.id());
        discovery = discoveries.create();
        OriginHttpOptions http = OriginHttpOptions.defaults();
        if (config.extraCaBundle().isPresent()) {
            http = http.withExtraCaBundle(config.extraCaBundle().get());
        }
        engine = new FetchEngine(new FetchEngineOptions(workerId, config.concurrency(), config.maxIdleBackoff(),
                config.fetchAttempts(), config.requestTimeout(), config.drainTimeout())
                .withToken(io.p2pdl.fetch.auth.BearerTokens.load(config.token(), config.tokenFile()))
                .withOriginPolicy(originPolicy(config))
                .withRedactor(UrlRedactor.withExtra(config.redact().queryParams().orElse(List.of())))
                .withTls(clientTls())
                .withLowestSpeed(config.lowestSpeed(), config.lowestSpeedWindow()),
                discovery, OriginHttp.newClient(http), metrics);
        engine.start();
        LOG.infof("worker %s started (%s discovery), coordinators now: %s", workerId,
                discoveries.mode().configValue(), discovery.coordinators());
    }

    /** This worker's SSRF guard from {@code p2pdl.worker.origins.allowed-cidrs}. */
    public static OriginAddressPolicy originPolicy(WorkerConfig config) {
        return OriginAddressPolicy.parse(config.origins().allowedCidrs().orElse(List.of()),
                OriginAddressPolicy.WORKER_KEY);
    }

    /** TLS towards coordinators from the shared keys {@code p2pdl.tls.*} (see {@link ClientTls}). */
    private static ClientTls clientTls() {
        org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        ClientTls tls = ClientTls.fromConfig(key -> c.getOptionalValue(key, String.class));
        LOG.infof("calls to coordinators use %s", tls);
        return tls;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.stop();
        }
        if (discovery != null) {
            discovery.close();
        }
    }

    /**
     * The coordinators discovery knows now (empty before start). Asked of discovery rather than
     * the engine, whose view lags while all slots are busy with long chunks.
     */
    public List<CoordinatorTarget> knownCoordinators() {
        CoordinatorDiscovery d = discovery;
        return d == null ? List.of() : d.coordinators();
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
