package io.p2pdl.coordinator.peers;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.List;

/** The other coordinators of this installation (never this one). */
@FunctionalInterface
public interface PeerDirectory extends AutoCloseable {

    /** Current peers; may change between calls. */
    List<CoordinatorTarget> peers();

    @Override
    default void close() {
    }

    /** No peers: a coordinator on its own. */
    PeerDirectory NONE = List::of;
}
