package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.grpc.InProcessDownloader;
import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.engine.FetchEngineOptions;
import io.p2pdl.fetch.engine.FetchListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fetch workers inside the coordinator, so a coordinator alone can finish a download (and
 * {@code p2pdl get} needs no other process). They run the same engine as worker pods, but talk to
 * this coordinator through {@link InProcessDownloader}: direct calls, chunk bytes written to the
 * {@code .part} file by the thread that read them from the origin.
 */
@ApplicationScoped
public class EmbeddedWorkers {

    private static final Logger LOG = Logger.getLogger(EmbeddedWorkers.class);

    /**
     * Embedded workers stop with their coordinator, so draining buys nothing: chunks not yet
     * written are leased again after the restart.
     */
    private static final Duration EMBEDDED_DRAIN = Duration.ofSeconds(1);

    @Inject
    CoordinatorConfig config;
    @Inject
    HttpClient http;
    @Inject
    DownloadService downloads;
    /** Embedded workers fetch under the coordinator's own allow-list and redaction. */
    @Inject
    io.p2pdl.fetch.origin.OriginAddressPolicy originPolicy;
    @Inject
    io.p2pdl.fetch.origin.UrlRedactor redactor;

    private final List<FetchEngine> engines = new ArrayList<>();

    synchronized void onStart(@Observes StartupEvent start) {
        int n = config.embeddedWorkers();
        if (n <= 0 || !engines.isEmpty()) {
            return;
        }
        InProcessDownloader self = new InProcessDownloader(downloads);
        CoordinatorDiscovery discovery = () -> List.of(InProcessDownloader.TARGET);
        for (int i = 0; i < n; i++) {
            String id = "embedded-" + i + "@" + config.nodeName().orElse("coordinator");
            FetchEngineOptions base = FetchEngineOptions.defaults(id);
            FetchEngineOptions options = new FetchEngineOptions(id, config.embeddedConcurrency(),
                    base.maxIdleBackoff(), base.fetchAttempts(), base.requestTimeout(), EMBEDDED_DRAIN)
                    .withOriginPolicy(originPolicy).withRedactor(redactor);
            FetchEngine engine = new FetchEngine(options, discovery, http, FetchListener.NONE, self.links());
            engine.start();
            engines.add(engine);
        }
        LOG.infof("%d embedded worker(s) started, %d slots each", n, config.embeddedConcurrency());
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        for (FetchEngine engine : engines) {
            engine.stop();
        }
        engines.clear();
    }
}
