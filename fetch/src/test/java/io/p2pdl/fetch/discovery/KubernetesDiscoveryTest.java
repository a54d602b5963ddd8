package io.p2pdl.fetch.discovery;

import static io.p2pdl.fetch.discovery.CoordinatorPods.COMPONENT;
import static io.p2pdl.fetch.discovery.CoordinatorPods.INSTANCE;
import static io.p2pdl.fetch.discovery.CoordinatorPods.pod;
import static io.p2pdl.fetch.discovery.CoordinatorPods.selector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Against the fabric8 mock API server in CRUD mode, which stores objects and serves list, watch
 * and label selectors like an API server. Absence is asserted behind a sentinel: a pod created
 * after the ignored ones must show up, and the informer delivers events in order.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesDiscoveryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    KubernetesClient client;

    private final List<KubernetesDiscovery> discoveries = new ArrayList<>();
    private String ns;

    @BeforeEach
    void namespacePerTest(TestInfo test) {
        // The mock server lives for the whole class; a namespace per test keeps tests apart.
        ns = test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    }

    @AfterEach
    void closeDiscoveries() {
        discoveries.forEach(KubernetesDiscovery::close);
    }

    private KubernetesDiscovery discover(String release) {
        KubernetesDiscovery d = new KubernetesDiscovery(client, ns, selector(release));
        discoveries.add(d);
        return d;
    }

    private Pod create(CoordinatorPods pod) {
        Pod p = pod.build();
        String namespace = p.getMetadata().getNamespace().equals("p2pdl") ? ns : p.getMetadata().getNamespace();
        p.getMetadata().setNamespace(namespace);
        return client.pods().inNamespace(namespace).resource(p).create();
    }

    private void setReady(String name, boolean ready) {
        Pod p = client.pods().inNamespace(ns).withName(name).get();
        p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .forEach(c -> c.setStatus(ready ? "True" : "False"));
        client.pods().inNamespace(ns).resource(p).updateStatus();
    }

    private static List<String> names(KubernetesDiscovery d) {
        return d.members().stream().map(DiscoveredCoordinator::podName).toList();
    }

    private static <T> void awaitEquals(T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T last = actual.get();
        while (!expected.equals(last)) {
            if (System.nanoTime() - deadline > 0) {
                fail("expected " + expected + " within " + DEADLINE + " but was " + last);
            }
            Thread.sleep(20);
            last = actual.get();
        }
    }

    @Test
    void readyPodsAreSeenSortedByPodName() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("coord-1").ip("10.0.0.2"));
        create(pod("coord-0").ip("10.0.0.1"));

        awaitEquals(List.of("coord-0", "coord-1"), () -> names(d));
        assertEquals(List.of(CoordinatorTarget.parse("10.0.0.1:7400"), CoordinatorTarget.parse("10.0.0.2:7400")),
                d.coordinators());
        assertEquals(Optional.of(CoordinatorTarget.parse("10.0.0.2:7400")), d.targetOf("coord-1"));
        assertEquals(Optional.empty(), d.targetOf("coord-9"));
        assertTrue(d.watching());
    }

    @Test
    void podsPresentBeforeStartAreInTheFirstList() throws Exception {
        create(pod("coord-0"));
        KubernetesDiscovery d = discover("rel");

        assertTrue(d.awaitFirstList(DEADLINE));
        awaitEquals(List.of("coord-0"), () -> names(d));
    }

    @Test
    void podIsSeenOnlyOnceItBecomesReady() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("coord-0").ready(false));
        create(pod("coord-1").ip("10.0.0.2"));
        awaitEquals(List.of("coord-1"), () -> names(d));

        setReady("coord-0", true);

        awaitEquals(List.of("coord-0", "coord-1"), () -> names(d));
    }

    @Test
    void podThatTurnsUnreadyIsRemoved() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("coord-0"));
        awaitEquals(List.of("coord-0"), () -> names(d));

        setReady("coord-0", false);

        awaitEquals(List.of(), () -> names(d));
        assertEquals(List.of(), d.coordinators());
    }

    @Test
    void deletedPodIsRemoved() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("coord-0"));
        create(pod("coord-1").ip("10.0.0.2"));
        awaitEquals(List.of("coord-0", "coord-1"), () -> names(d));

        client.pods().inNamespace(ns).withName("coord-0").delete();

        awaitEquals(List.of("coord-1"), () -> names(d));
    }

    @Test
    void terminatingPodIsRemovedWhileItStillExists() throws Exception {
        KubernetesDiscovery d = discover("rel");
        Pod p = pod("coord-0").build();
        // A finalizer keeps the deleted pod around with a deletionTimestamp, as kubelet's grace period does.
        p.getMetadata().setFinalizers(List.of("p2pdl.io/test"));
        p.getMetadata().setNamespace(ns);
        client.pods().inNamespace(ns).resource(p).create();
        awaitEquals(List.of("coord-0"), () -> names(d));

        client.pods().inNamespace(ns).withName("coord-0").delete();

        awaitEquals(List.of(), () -> names(d));
        assertTrue(client.pods().inNamespace(ns).withName("coord-0").get().getMetadata().getDeletionTimestamp() != null);
    }

    @Test
    void podsOutsideTheNamespaceOrSelectorAreIgnored() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("elsewhere-0").namespace("other"));
        create(pod("other-release-0").label(INSTANCE, "rel2"));
        create(pod("worker-0").label(COMPONENT, "worker"));
        create(pod("unlabelled-0").label(COMPONENT, ""));
        create(pod("coord-0"));

        awaitEquals(List.of("coord-0"), () -> names(d));
    }

    @Test
    void podWithoutTheNamedPortOrWithoutIpIsIgnored() throws Exception {
        KubernetesDiscovery d = discover("rel");
        create(pod("coord-0").port("http", 8080));
        create(pod("coord-1").ip(null));
        create(pod("coord-2"));

        awaitEquals(List.of("coord-2"), () -> names(d));
    }

    @Test
    void twoReleasesInOneNamespaceSeeDisjointSets() throws Exception {
        KubernetesDiscovery a = discover("rel-a");
        KubernetesDiscovery b = discover("rel-b");
        create(pod("rel-a-coordinator-0").label(INSTANCE, "rel-a").ip("10.0.1.1"));
        create(pod("rel-b-coordinator-0").label(INSTANCE, "rel-b").ip("10.0.2.1"));
        create(pod("rel-b-coordinator-1").label(INSTANCE, "rel-b").ip("10.0.2.2"));

        awaitEquals(List.of("rel-a-coordinator-0"), () -> names(a));
        awaitEquals(List.of("rel-b-coordinator-0", "rel-b-coordinator-1"), () -> names(b));
    }

    @Test
    void listenersRunAfterEachChange() throws Exception {
        KubernetesDiscovery d = discover("rel");
        AtomicInteger changes = new AtomicInteger();
        d.onChange(changes::incrementAndGet);
        d.onChange(() -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });

        create(pod("coord-0"));
        awaitEquals(1, changes::get);
        client.pods().inNamespace(ns).withName("coord-0").delete();
        awaitEquals(2, changes::get);
    }

    @Test
    void closeStopsWatching() throws Exception {
        KubernetesDiscovery d = discover("rel");
        assertTrue(d.awaitFirstList(DEADLINE));

        d.close();

        assertFalse(d.watching());
    }

    @Test
    void blankNamespaceOrSelectorIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new KubernetesDiscovery(client, " ", selector("rel")));
        assertThrows(IllegalArgumentException.class, () -> new KubernetesDiscovery(client, ns, ""));
    }
}
