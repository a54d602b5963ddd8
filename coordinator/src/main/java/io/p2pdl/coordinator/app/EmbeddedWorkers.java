package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.StaticDiscovery;
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

    private final List<FetchEngine> engines = new ArrayList<>();

    /**
     * Starts after the port is bound. When port 0 was asked, Quarkus publishes the port it picked
     * as the {@code quarkus.http.port} system property, which is read first.
     */
    synchronized void onStart(@Observes StartupEvent start) {
        int n = config.embeddedWorkers();
        if (n <= 0 || !engines.isEmpty()) {
            return;
        }
        String host = ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        String port = System.getProperty("quarkus.http.port",
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", String.class).orElse("7400"));
        CoordinatorTarget self = new CoordinatorTarget(host, Integer.parseInt(port));
        if (self.port() == 0) {
            LOG.warn("embedded workers disabled: the coordinator's port is not known");
            return;
        }
        for (int i = 0; i < n; i++) {
            String id = "embedded-" + i + "@" + self;
            FetchEngineOptions base = FetchEngineOptions.defaults(id);
            FetchEngineOptions options = new FetchEngineOptions(id, config.embeddedConcurrency(),
                    base.maxIdleBackoff(), base.fetchAttempts(), base.requestTimeout(), base.drainTimeout());
            FetchEngine engine = new FetchEngine(options, new StaticDiscovery(List.of(self)), http, FetchListener.NONE);
            engine.start();
            engines.add(engine);
        }
        LOG.infof("%d embedded worker(s) fetching for %s", n, self);
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        for (FetchEngine engine : engines) {
            engine.stop();
        }
        engines.clear();
    }
}
