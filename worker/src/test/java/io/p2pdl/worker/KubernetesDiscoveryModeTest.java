package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.worker.fetch.FetchEngineService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes discovery inside the running service, against the fabric8 mock API server (CRUD):
 * readiness follows the coordinator pods of the configured release.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, https = false)
@TestProfile(KubernetesDiscoveryModeTest.KubernetesMode.class)
class KubernetesDiscoveryModeTest {

    static final String NAMESPACE = "p2pdl-test";
    static final Map<String, String> RELEASE_LABELS = Map.of(
            "app.kubernetes.io/name", "p2pdl",
            "app.kubernetes.io/instance", "rel",
            "app.kubernetes.io/component", "coordinator");

    /** What the chart sets, as configuration keys. */
    public static class KubernetesMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "p2pdl.worker.discovery", "kubernetes",
                    "p2pdl.worker.kubernetes.namespace", NAMESPACE,
                    "p2pdl.worker.kubernetes.selector",
                    "app.kubernetes.io/name=p2pdl,app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator",
                    "p2pdl.worker.id", "test-worker");
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    FetchEngineService service;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    /** Loopback with a closed port: the engine's asks fail fast; readiness is about knowing it. */
    private static Pod coordinatorPod(String name, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("coordinator").withImage("p2pdl")
                    .addNewPort().withName("grpc").withContainerPort(1).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build();
    }

    private static <T> void awaitEquals(T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T last = actual.get();
        while (!expected.equals(last)) {
            if (System.nanoTime() - deadline > 0) {
                fail("expected " + expected + " within 10 s but was " + last);
            }
            Thread.sleep(20);
            last = actual.get();
        }
    }

    private int readiness() {
        try {
            return HealthTest.get(ready).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readinessFollowsTheReleasesReadyCoordinatorPods() throws Exception {
        assertEquals(503, readiness());
        Map<String, String> otherRelease = new java.util.HashMap<>(RELEASE_LABELS);
        otherRelease.put("app.kubernetes.io/instance", "other");
        client.pods().inNamespace(NAMESPACE).resource(coordinatorPod("other-coordinator-0", otherRelease)).create();

        client.pods().inNamespace(NAMESPACE).resource(coordinatorPod("rel-coordinator-0", RELEASE_LABELS)).create();

        awaitEquals(200, this::readiness);
        assertEquals(List.of(new CoordinatorTarget("127.0.0.1", 1)), service.knownCoordinators());

        client.pods().inNamespace(NAMESPACE).withName("rel-coordinator-0").delete();

        awaitEquals(List.of(), service::knownCoordinators);
        assertEquals(503, readiness());
    }
}
