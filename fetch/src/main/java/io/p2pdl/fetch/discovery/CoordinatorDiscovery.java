package io.p2pdl.fetch.discovery;

import java.util.List;

/**
 * Tells the fetch engine which coordinators exist right now. The engine asks on every round,
 * so an implementation that watches (Kubernetes endpoints, say) only has to return its latest
 * view; it must be thread-safe and cheap.
 */
public interface CoordinatorDiscovery extends AutoCloseable {

    /** The coordinators to serve, in a stable order; empty when none is known. */
    List<CoordinatorTarget> coordinators();

    /** Stops watching; the default has nothing to stop. */
    @Override
    default void close() {
    }
}
