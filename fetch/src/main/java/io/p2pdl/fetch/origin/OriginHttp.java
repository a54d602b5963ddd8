package io.p2pdl.fetch.origin;

import java.net.http.HttpClient;

/**
 * Builds the one {@link HttpClient} a process uses for all origin requests, so keep-alive
 * connections are shared by every fetch slot.
 *
 * <p>Redirects are never followed by the client: the coordinator's probe follows them itself to
 * count hops and to record the final URL that leases carry.
 */
public final class OriginHttp {

    private OriginHttp() {
    }

    /** A new HTTP/1.1 client with proxy selection from the environment and the extra CAs trusted. */
    public static HttpClient newClient(OriginHttpOptions o) {
        return HttpClient.newBuilder()
                // HTTP/1.1: ranged bulk transfers gain nothing from h2 multiplexing, and some
                // origins and proxies mishandle h2 upgrades.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(o.connectTimeout())
                .proxy(EnvProxySelector.fromEnv(o.env()))
                .sslContext(TrustedCas.sslContext(o.extraCaBundle()))
                .build();
    }
}
