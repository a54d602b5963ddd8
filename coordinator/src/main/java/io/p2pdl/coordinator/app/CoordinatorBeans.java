package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.download.CoordinatorSettings;
import io.p2pdl.coordinator.download.CoreDefaults;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.TransferEvents;
import io.p2pdl.coordinator.peers.DownloadRouter;
import io.p2pdl.coordinator.peers.PeerDirectory;
import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;

/** Builds the framework-free core from configuration. */
public class CoordinatorBeans {

    @Produces
    @Singleton
    HttpClient originClient(CoordinatorConfig config) {
        OriginHttpOptions options = OriginHttpOptions.defaults();
        if (config.extraCaBundle().isPresent()) {
            options = options.withExtraCaBundle(config.extraCaBundle().get());
        }
        return OriginHttp.newClient(options);
    }

    /** The SSRF guard of the probe, redirects, re-resolution and the embedded workers. */
    @Produces
    @Singleton
    OriginAddressPolicy originPolicy(CoordinatorConfig config) {
        return OriginAddressPolicy.parse(config.origins().allowedCidrs().orElse(java.util.List.of()),
                OriginAddressPolicy.COORDINATOR_KEY);
    }

    @Produces
    @Singleton
    UrlRedactor redactor(CoordinatorConfig config) {
        return UrlRedactor.withExtra(config.redact().queryParams().orElse(java.util.List.of()));
    }

    @Produces
    @Singleton
    DownloadService downloadService(CoordinatorConfig config, HttpClient http, TransferEvents events,
            OriginAddressPolicy originPolicy, UrlRedactor redactor) {
        Path dataDir = config.dataDir().toAbsolutePath();
        Path stateDir = config.stateDir().orElse(dataDir.resolve(".p2pdl")).toAbsolutePath();
        LeasePolicy policy = new LeasePolicy(config.leaseTtl(), config.endgameMaxDuplicates(),
                config.retryBackoffInitial(), config.retryBackoffMax(), config.maxChunkFailures(),
                config.noWorkRetryAfter(), config.endgameMinAge(), config.limits().maxLeasesPerWorker(),
                config.limits().maxConnectionsPerOrigin());
        CoordinatorSettings settings = new CoordinatorSettings(dataDir, stateDir, nodeName(config),
                config.chunkSize().asLongValue(), policy, config.fsyncInterval(), config.reResolveInterval(),
                config.limits().maxActiveDownloads(), config.limits().maxFileSize().asLongValue(), redactor);
        RedirectingClient client = new RedirectingClient(http, config.probeTimeout(), originPolicy, redactor);
        try {
            DownloadService service = new DownloadService(settings,
                    new OriginProber(client, config.probeAttempts(), CoreDefaults.PROBE_RETRY_DELAY), client, events);
            service.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data directory " + dataDir + " or state directory " + stateDir
                    + ": " + e.getMessage(), e);
        }
    }

    void close(@Disposes DownloadService service) {
        service.close();
    }

    @Produces
    @Singleton
    DownloadRouter router(DownloadService service, PeerDirectory peers, io.p2pdl.coordinator.auth.AuthPolicy auth,
            io.p2pdl.fetch.tls.ClientTls tls) {
        return new DownloadRouter(service, peers, auth.adminToken(), tls);
    }

    void close(@Disposes DownloadRouter router) {
        router.close();
    }

    /** This coordinator's name: configured, else the pod or host name, reduced to id-safe characters. */
    static String nodeName(CoordinatorConfig config) {
        return config.nodeName().filter(n -> !n.isBlank()).orElseGet(() -> {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "coordinator";
            }
        }).replaceAll("[^A-Za-z0-9.-]", "-");
    }
}
