package io.p2pdl.fetch.discovery;

import static io.p2pdl.fetch.discovery.CoordinatorPods.pod;
import static io.p2pdl.fetch.discovery.CoordinatorPods.selector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The API server going away (or never being there) must not cost the worker its coordinators. */
class KubernetesDiscoveryOutageTest {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void lastKnownCoordinatorsAreKeptWhileTheApiServerIsUnreachable() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient();
                KubernetesDiscovery d = new KubernetesDiscovery(client, "p2pdl", selector("rel"))) {
            Pod p = pod("coord-0").build();
            client.pods().inNamespace("p2pdl").resource(p).create();
            await(() -> d.members().size() == 1 && d.watching(), "the pod is seen through a live watch");

            server.destroy();

            await(() -> !d.watching(), "the watch notices the API server is gone");
            assertEquals(List.of("coord-0"), d.members().stream().map(DiscoveredCoordinator::podName).toList());
        }
    }

    @Test
    void unreachableApiServerAtStartDoesNotBlockOrThrow() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + closedPort)
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                KubernetesDiscovery d = new KubernetesDiscovery(client, "p2pdl", selector("rel"))) {
            assertFalse(d.awaitFirstList(Duration.ofMillis(200)));
            assertEquals(List.of(), d.coordinators());
            assertFalse(d.watching());
        }
    }
}
