package io.p2pdl.coordinator.app;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.p2pdl.coordinator.tls.PemKeyPair;
import io.p2pdl.coordinator.tls.ReloadingKeyManager;
import io.p2pdl.coordinator.tls.ServerTls;
import io.quarkus.arc.Unremovable;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.runtime.LaunchMode;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * TLS of the gRPC port (grpc-java's own server, see application.properties) from the same files as
 * the HTTP port's ({@link ServerTls}): TLS only, with the certificate re-read every
 * {@code quarkus.tls.reload-period} like the TLS registry does for HTTP.
 */
@Singleton
@Unremovable
public class GrpcServerTls implements ServerBuilderCustomizer<VertxServerBuilder> {

    private static final Logger LOG = Logger.getLogger(GrpcServerTls.class);

    private ScheduledExecutorService reloads;

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        Config c = ConfigProvider.getConfig();
        Optional<ServerTls> tls = ServerTls.resolve(key -> c.getOptionalValue(key, String.class));
        if (tls.isEmpty()) {
            return;
        }
        ReloadingKeyManager keys = new ReloadingKeyManager(tls.get().certFile(), tls.get().keyFile(),
                PemKeyPair::keyManager);
        try {
            // Only the gRPC server's Netty builder gets a context: the server then speaks TLS only.
            SslContext ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(keys)).build();
            builder.nettyBuilder().sslContext(ssl);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the gRPC port: " + e.getMessage(), e);
        }
        // The HTTP port's period (ServerTls sets its default before start-up).
        Duration period = c.getOptionalValue("quarkus.tls.reload-period", Duration.class)
                .orElseGet(() -> c.getConverter(Duration.class).orElseThrow().convert(ServerTls.DEFAULT_RELOAD_PERIOD));
        startReloading(keys, period);
        LOG.infof("gRPC port %d serves TLS only with %s, re-read every %s", port(config), tls.get().certFile(), period);
    }

    private static int port(GrpcServerConfiguration config) {
        return LaunchMode.current() == LaunchMode.TEST ? config.testPort() : config.port();
    }

    private synchronized void startReloading(ReloadingKeyManager keys, Duration period) {
        if (reloads != null) {
            reloads.shutdownNow();
        }
        reloads = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pdl-grpc-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(100, period.toMillis());
        reloads.scheduleWithFixedDelay(keys::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    synchronized void stop() {
        if (reloads != null) {
            reloads.shutdownNow();
        }
    }
}
