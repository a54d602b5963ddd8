package io.p2pdl.coordinator.peers;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One gRPC channel per peer coordinator, created on first use and closed when the peer vanishes. */
final class PeerChannels implements AutoCloseable {

    private final Map<CoordinatorTarget, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final java.util.Optional<String> adminToken;
    private final io.p2pdl.fetch.tls.ClientTls tls;

    PeerChannels(java.util.Optional<String> adminToken, io.p2pdl.fetch.tls.ClientTls tls) {
        this.adminToken = adminToken;
        this.tls = tls;
    }

    ManagedChannel channel(CoordinatorTarget target) {
        return channels.computeIfAbsent(target, t -> {
            NettyChannelBuilder b = NettyChannelBuilder.forAddress(t.host(), t.port());
            adminToken.ifPresent(token -> b.intercept(io.p2pdl.fetch.auth.BearerTokens.interceptor(token)));
            return tls.configure(b).keepAliveTime(30, TimeUnit.SECONDS).build();
        });
    }

    /** Closes the channels of peers that are no longer in {@code current}. */
    void retainOnly(List<CoordinatorTarget> current) {
        channels.entrySet().removeIf(e -> {
            if (current.contains(e.getKey())) {
                return false;
            }
            e.getValue().shutdown();
            return true;
        });
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
