package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.EmbeddedFetch;
import io.p2pdl.fetch.engine.FetchEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fetch workers inside the coordinator ({@link EmbeddedFetch}), so a coordinator alone can finish a
 * download: started with the service, stopped before it closes.
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
        engines.addAll(EmbeddedFetch.start(downloads, n, config.embeddedConcurrency(),
                config.nodeName().orElse("coordinator"), http, originPolicy, redactor));
        LOG.infof("%d embedded worker(s) started, %d slots each", n, config.embeddedConcurrency());
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        for (FetchEngine engine : engines) {
            engine.stop();
        }
        engines.clear();
    }
}
