package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.peers.PeerDirectory;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Chooses how this coordinator finds its peers. */
public class PeerBeans {

    @Produces
    @Singleton
    PeerDirectory peers(CoordinatorConfig config) {
        List<CoordinatorTarget> fixed = config.peers().addresses().orElse(List.of()).stream()
                .filter(a -> !a.isBlank()).map(CoordinatorTarget::parse).toList();
        return () -> fixed;
    }
}
