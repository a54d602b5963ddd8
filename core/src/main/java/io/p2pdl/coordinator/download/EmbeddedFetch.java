package io.p2pdl.coordinator.download;

import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.engine.FetchEngine;
import io.p2pdl.fetch.engine.FetchEngineOptions;
import io.p2pdl.fetch.engine.FetchListener;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.UrlRedactor;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetch engines that work for the {@link DownloadService} of their own process: the same engine as
 * worker pods, talking to the service through {@link InProcessDownloader} (direct calls; chunk bytes
 * written to the {@code .part} file by the thread that read them from the origin). The coordinator
 * service starts them so it can finish downloads alone; {@code p2pdl get} starts them next to the core
 * in the CLI's JVM. They are woken whenever work arrives, so a new download starts at once.
 */
public final class EmbeddedFetch {

    /**
     * Embedded engines stop with their service, so draining buys nothing: chunks not yet written are
     * leased again after the restart.
     */
    static final Duration DRAIN = Duration.ofSeconds(1);

    private EmbeddedFetch() {
    }

    /**
     * Starts {@code engines} engines of {@code concurrency} slots each, fetching under the service's
     * own allow-list and redaction; the caller stops them before closing the service.
     *
     * @param nodeName suffix of the engines' worker ids ({@code embedded-N@nodeName})
     */
    public static List<FetchEngine> start(DownloadService downloads, int engines, int concurrency, String nodeName,
            HttpClient http, OriginAddressPolicy originPolicy, UrlRedactor redactor) {
        InProcessDownloader self = new InProcessDownloader(downloads);
        CoordinatorDiscovery discovery = () -> List.of(InProcessDownloader.TARGET);
        List<FetchEngine> started = new ArrayList<>();
        for (int i = 0; i < engines; i++) {
            String id = "embedded-" + i + "@" + nodeName;
            FetchEngineOptions base = FetchEngineOptions.defaults(id);
            FetchEngineOptions options = new FetchEngineOptions(id, concurrency, base.maxIdleBackoff(),
                    base.fetchAttempts(), base.requestTimeout(), DRAIN)
                    .withOriginPolicy(originPolicy).withRedactor(redactor);
            FetchEngine engine = new FetchEngine(options, discovery, http, FetchListener.NONE, self.links());
            engine.start();
            started.add(engine);
        }
        List<FetchEngine> all = List.copyOf(started);
        downloads.leases().onWorkAvailable(() -> all.forEach(FetchEngine::wake));
        return all;
    }
}
