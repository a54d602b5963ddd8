package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.quarkus.runtime.LaunchMode;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.engine.FetchEngineOptions;
import io.p2pdl.fetch.engine.FetchListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.ConfigProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fetch workers inside the coordinator, so a coordinator alone can finish a download. They use the
 * same engine and protocol as worker pods, over loopback to this coordinator's own port.
 */
@ApplicationScoped
public class EmbeddedWorkers {

    private static final Logger LOG = Logger.getLogger(EmbeddedWorkers.class);

    @Inject
    CoordinatorConfig config;
    @Inject
    HttpClient http;
    @Inject
    DownloadService downloads;
    @Inject
    io.p2pdl.coordinator.auth.AuthPolicy auth;
    @Inject
    io.p2pdl.fetch.tls.ClientTls tls;

    /**
     * Embedded workers stop with their coordinator, so draining buys nothing: chunks not yet
     * written are leased again after the restart.
     */
    private static final java.time.Duration EMBEDDED_DRAIN = java.time.Duration.ofSeconds(1);

    private final List<FetchEngine> engines = new ArrayList<>();

    /** Starts the engines; they find this coordinator's port once it is known. */
    synchronized void onStart(@Observes StartupEvent start) {
        int n = config.embeddedWorkers();
        if (n <= 0 || !engines.isEmpty()) {
            return;
        }
        CoordinatorDiscovery self = () -> selfTarget().map(List::of).orElse(List.of());
        for (int i = 0; i < n; i++) {
            String id = "embedded-" + i + "@" + config.nodeName().orElse("coordinator");
            FetchEngineOptions base = FetchEngineOptions.defaults(id);
            FetchEngineOptions options = new FetchEngineOptions(id, config.embeddedConcurrency(),
                    base.maxIdleBackoff(), base.fetchAttempts(), base.requestTimeout(), EMBEDDED_DRAIN)
                    .withToken(auth.workerToken()).withTls(tls);
            FetchEngine engine = new FetchEngine(options, self, http, FetchListener.NONE);
            engine.start();
            engines.add(engine);
        }
        LOG.infof("%d embedded worker(s) started", n);
    }

    /**
     * This coordinator's own address, looked up on each use because the port may only be known
     * once the server listens (tests publish the port they picked as {@code quarkus.http.test-port}).
     */
    static Optional<CoordinatorTarget> selfTarget() {
        Config c = ConfigProvider.getConfig();
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String port = System.getProperty(key, c.getOptionalValue(key, String.class).orElse("0"));
        String host = c.getOptionalValue("quarkus.http.host", String.class).orElse("");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        try {
            int p = Integer.parseInt(port.trim());
            return p > 0 ? Optional.of(new CoordinatorTarget(host, p)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        for (FetchEngine engine : engines) {
            engine.stop();
        }
        engines.clear();
    }
}
