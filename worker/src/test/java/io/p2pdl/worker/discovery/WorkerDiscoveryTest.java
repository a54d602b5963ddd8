package io.p2pdl.worker.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.StaticDiscovery;
import io.p2pdl.worker.WorkerConfig;
import io.smallrye.config.EnvConfigSource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

class WorkerDiscoveryTest {

    private static final Supplier<KubernetesClient> NO_CLUSTER = () -> {
        throw new AssertionError("static discovery must not create a Kubernetes client");
    };

    /** Plain SmallRye with Quarkus' duration syntax ({@code 2S}), as the service reads it. */
    private static WorkerConfig config(ConfigSource source) {
        return new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(source)
                .build()
                .getConfigMapping(WorkerConfig.class);
    }

    private static WorkerConfig config(Map<String, String> values) {
        return config(new MapBackedConfigSource("test", values) {
        });
    }

    @Test
    void staticModeNeverAsksForAKubernetesClientEvenInsideAPod() {
        WorkerDiscovery d = new WorkerDiscovery(config(Map.of("p2pdl.worker.coordinators", "c-0:7400,c-1:7400")),
                NO_CLUSTER, k -> k.equals("KUBERNETES_SERVICE_HOST") ? "10.96.0.1" : null);

        assertEquals(DiscoveryMode.STATIC, d.mode());
        try (CoordinatorDiscovery discovery = d.create()) {
            assertInstanceOf(StaticDiscovery.class, discovery);
            assertEquals(List.of(CoordinatorTarget.parse("c-0:7400"), CoordinatorTarget.parse("c-1:7400")),
                    discovery.coordinators());
        }
    }

    @Test
    void kubernetesKeysHaveTheDocumentedDefaults() {
        WorkerConfig c = config(Map.of("p2pdl.worker.discovery", "kubernetes"));
        assertEquals(DiscoveryMode.KUBERNETES, new WorkerDiscovery(c, NO_CLUSTER, k -> null).mode());
        assertEquals("app.kubernetes.io/component=coordinator", c.kubernetes().selector());
        assertEquals("grpc", c.kubernetes().portName());
        assertEquals(Optional.empty(), c.kubernetes().namespace());
    }

    @Test
    void chartEnvironmentVariablesMapToTheKubernetesKeys() {
        // The names the Helm chart sets; SmallRye maps them onto the mapping's keys.
        WorkerConfig w = config(new EnvConfigSource(Map.of(
                        "P2PDL_WORKER_DISCOVERY", "kubernetes",
                        "P2PDL_WORKER_KUBERNETES_SELECTOR",
                        "app.kubernetes.io/name=p2pdl,app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator",
                        "P2PDL_WORKER_KUBERNETES_NAMESPACE", "team-a",
                        "P2PDL_WORKER_KUBERNETES_PORT_NAME", "rpc"), 300));
        assertEquals(Optional.of(DiscoveryMode.KUBERNETES), w.discovery());
        assertEquals("app.kubernetes.io/name=p2pdl,app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator",
                w.kubernetes().selector());
        assertEquals(Optional.of("team-a"), w.kubernetes().namespace());
        assertEquals("rpc", w.kubernetes().portName());
    }
}
