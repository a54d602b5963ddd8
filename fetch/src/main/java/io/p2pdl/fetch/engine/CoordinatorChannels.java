package io.p2pdl.fetch.engine;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One gRPC channel per coordinator, created on first use and shut down when the coordinator
 * disappears from discovery. Shutdown is graceful, so a transfer still running to a vanished
 * coordinator may finish.
 */
final class CoordinatorChannels implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CoordinatorChannels.class);

    private final Map<CoordinatorTarget, ManagedChannel> channels = new ConcurrentHashMap<>();

    ManagedChannel channel(CoordinatorTarget target) {
        return channels.computeIfAbsent(target, t -> NettyChannelBuilder.forAddress(t.host(), t.port())
                // Coordinators are cluster-internal; TLS between workers and coordinators is a
                // deployment concern (service mesh) not handled here.
                .usePlaintext()
                .build());
    }

    /** Shuts down the channels of targets not in {@code current}. */
    void retainOnly(Collection<CoordinatorTarget> current) {
        Set<CoordinatorTarget> keep = Set.copyOf(current);
        channels.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            LOG.infof("coordinator %s left discovery; closing its channel", e.getKey());
            e.getValue().shutdown();
            return true;
        });
    }

    Set<CoordinatorTarget> targets() {
        return Set.copyOf(channels.keySet());
    }

    @Override
    public void close() {
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
