package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.auth.AuthPolicy;
import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.fetch.auth.BearerTokens;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The installation's tokens, shared by every component: {@code p2pdl.worker.token} /
 * {@code P2PDL_WORKER_TOKEN} and {@code p2pdl.admin.token} / {@code P2PDL_ADMIN_TOKEN}, or the
 * same names with {@code -file} / {@code _FILE} pointing at a mounted Secret.
 */
public class AuthBeans {

    @Produces
    @Singleton
    AuthPolicy policy(CoordinatorConfig config) {
        return new AuthPolicy(token("p2pdl.worker"), token("p2pdl.admin"), config.auth().allowUnauthenticated());
    }

    /** Fails the start-up at once, with the reason, when tokens are missing or unreadable. */
    void checkAtStartup(@Observes StartupEvent event, AuthPolicy policy) {
        // Observing with the policy as a parameter creates it now rather than at the first call.
    }

    private static Optional<String> token(String prefix) {
        Config c = ConfigProvider.getConfig();
        return BearerTokens.load(c.getOptionalValue(prefix + ".token", String.class),
                c.getOptionalValue(prefix + ".token-file", String.class).filter(f -> !f.isBlank()).map(Path::of));
    }
}
