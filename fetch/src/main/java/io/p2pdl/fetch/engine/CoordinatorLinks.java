package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.Collection;
import java.util.Optional;

/** The links to the coordinators discovery currently knows; owned and closed by the engine. */
public interface CoordinatorLinks extends AutoCloseable {

    /** The link to {@code target}; empty when the target left discovery (or the engine stopped). */
    Optional<CoordinatorLink> link(CoordinatorTarget target);

    /** Makes {@code targets} the current coordinators and closes links to all others. */
    void retainOnly(Collection<CoordinatorTarget> targets);

    /** Notes that a call to {@code target} failed (a link may log why, e.g. a TLS handshake failure). */
    default void reportFailure(CoordinatorTarget target, Throwable failure) {
    }

    @Override
    void close();
}
