package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.tls.ServerTls;
import io.p2pdl.fetch.tls.ClientTls;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * How this coordinator connects to coordinators (itself for embedded workers, its peers for
 * forwarding): TLS exactly when it serves TLS ({@code p2pdl.tls.*}, see {@link ServerTls}).
 */
public class TlsBeans {

    private static final Logger LOG = Logger.getLogger(TlsBeans.class);

    @Produces
    @Singleton
    ClientTls coordinatorClientTls() {
        Config c = ConfigProvider.getConfig();
        Function<String, Optional<String>> lookup = key -> c.getOptionalValue(key, String.class);
        Optional<ServerTls> server = ServerTls.resolve(lookup);
        ClientTls tls = ServerTls.clientTls(server, lookup);
        server.ifPresent(s -> LOG.infof("serving TLS only with %s; calls to peers and itself use %s", s.certFile(), tls));
        return tls;
    }
}
