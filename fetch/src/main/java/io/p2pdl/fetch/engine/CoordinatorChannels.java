package io.p2pdl.fetch.engine;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.tls.ClientTls;
import io.p2pdl.fetch.tls.TlsFailures;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One gRPC channel per coordinator, created on first use and shut down when the coordinator
 * disappears from discovery. Shutdown is graceful, so a transfer still running to a vanished
 * coordinator may finish (a coordinator that merely turned unready is usually still alive);
 * one that is really gone fails the stream, which drops the chunk.
 *
 * <p>Channels are only handed out for targets of the latest discovery round: a slot that picked
 * a target just before it vanished would otherwise re-create its channel, which nothing would
 * ever close again.
 */
final class CoordinatorChannels implements CoordinatorLinks {

    private static final Logger LOG = Logger.getLogger(CoordinatorChannels.class);

    private final Map<CoordinatorTarget, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Optional<String> token;
    private final ClientTls tls;
    private final Map<CoordinatorTarget, String> lastTlsFailure = new ConcurrentHashMap<>();

    CoordinatorChannels() {
        this(Optional.empty(), ClientTls.PLAINTEXT);
    }

    /**
     * Channels whose calls present {@code token} (the worker token), when there is one, over
     * plaintext or TLS as {@code tls} says.
     */
    CoordinatorChannels(Optional<String> token, ClientTls tls) {
        this.token = token;
        this.tls = java.util.Objects.requireNonNull(tls, "tls");
    }

    private ManagedChannel open(CoordinatorTarget t) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(t.host(), t.port());
        token.ifPresent(value -> builder.intercept(io.p2pdl.fetch.auth.BearerTokens.interceptor(value)));
        return tls.configure(builder).build();
    }

    /**
     * Logs a call failure to {@code target} that TLS explains (untrusted or misnamed certificate,
     * plaintext peer) as one warning; the same reason is not repeated until it changes, so a
     * worker retrying every few seconds does not flood its log.
     */
    @Override
    public void reportFailure(CoordinatorTarget target, Throwable error) {
        TlsFailures.describe(error).ifPresent(reason -> {
            if (!reason.equals(lastTlsFailure.put(target, reason))) {
                LOG.warnf("cannot connect to coordinator %s: %s", target, reason);
            }
        });
    }
    private Set<CoordinatorTarget> current = Set.of();
    private boolean closed;

    /** The channel to {@code target}; empty when the target left discovery (or the engine stopped). */
    synchronized Optional<ManagedChannel> channel(CoordinatorTarget target) {
        if (closed || !current.contains(target)) {
            return Optional.empty();
        }
        return Optional.of(channels.computeIfAbsent(target, this::open));
    }

    @Override
    public Optional<CoordinatorLink> link(CoordinatorTarget target) {
        return channel(target).map(GrpcCoordinatorLink::new);
    }

    /** Makes {@code targets} the current coordinators and shuts down the channels of all others. */
    @Override
    public synchronized void retainOnly(Collection<CoordinatorTarget> targets) {
        Set<CoordinatorTarget> keep = Set.copyOf(targets);
        current = keep;
        channels.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            LOG.infof("coordinator %s left discovery; closing its channel", e.getKey());
            lastTlsFailure.remove(e.getKey());
            e.getValue().shutdown();
            return true;
        });
    }

    Set<CoordinatorTarget> targets() {
        return Set.copyOf(channels.keySet());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        channels.values().forEach(ManagedChannel::shutdown);
        for (ManagedChannel c : channels.values()) {
            try {
                if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                c.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
