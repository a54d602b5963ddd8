package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker in {@code kubernetes} discovery mode, pointed at a mock API server, finds a real
 * coordinator process through a Pod object (IP 127.0.0.1, Ready, named port {@code grpc}) and
 * downloads a file with it. A Pod of another release is present too and must not be used.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesDiscoveryE2ETest extends ProcessTest {

    private static final String NAMESPACE = "p2pdl";
    private static final String SELECTOR =
            "app.kubernetes.io/name=p2pdl,app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator";

    KubernetesClient client;
    private void createPod(String name, String release, int port) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/name", "p2pdl", "app.kubernetes.io/instance", release,
                        "app.kubernetes.io/component", "coordinator"))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("coordinator").withImage("p2pdl/coordinator")
                .addNewPort().withName("grpc").withContainerPort(port).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus()
                .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    @Test
    void workerDiscoversCoordinatorPodThroughTheApiAndDownloads() throws Exception {
        Content content = Content.pseudoRandom(77, 8L << 20);
        origin.serve("/k8s.bin", content);
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        services.coordinator(port, data, dir.resolve("state"));
        // Another release's coordinator "pod" points at a port nobody listens on: using it would stall.
        createPod("other-p2pdl-coordinator-0", "other", FreePorts.next());
        createPod("rel-p2pdl-coordinator-0", "rel", port);

        services.worker(List.of("--discovery", "kubernetes", "--namespace", NAMESPACE, "--selector", SELECTOR), 4,
                "-Dquarkus.kubernetes-client.api-server-url=" + client.getMasterUrl(),
                "-Dquarkus.kubernetes-client.trust-certs=true");

        try (AdminClient admin = new AdminClient(port)) {
            Download submitted = admin.submit(origin.url("/k8s.bin"), "k8s.bin", 0);
            Download done = admin.awaitCompleted(submitted.getId(), Await.LONG);
            assertEquals(content.sha256Hex(), done.getSha256());
        }
        assertEquals(content.sha256Hex(), Sha256.of(data.resolve("k8s.bin")));
    }
}
