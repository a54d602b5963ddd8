package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.p2pdl.helm.ChartScenariosTest.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each {@code ci/} scenario exists for shows up in it, and only in it.
 */
class ScenarioSpecificsTest {

    @Test
    void defaultsRunOneCoordinatorWithItsVolumeAndTwoWorkerPods() {
        Rendered rendered = HelmChart.template("default");
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        assertEquals("rel-p2pdl-coordinator", coordinator.getMetadata().getName());
        assertEquals(1, coordinator.getSpec().getReplicas());
        assertEquals("Parallel", coordinator.getSpec().getPodManagementPolicy());
        PersistentVolumeClaim data = coordinator.getSpec().getVolumeClaimTemplates().get(0);
        assertEquals("10Gi", data.getSpec().getResources().getRequests().get("storage").toString());
        assertEquals(List.of("ReadWriteOnce"), data.getSpec().getAccessModes());
        assertNull(data.getSpec().getStorageClassName(), "the cluster's default StorageClass");
        Container container = coordinator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("p2pdl/coordinator:0.1.0", container.getImage(), "tag defaults to appVersion");
        assertEquals("4M", env(container, "P2PDL_COORDINATOR_CHUNK_SIZE").getValue());
        assertEquals("0", env(container, "P2PDL_COORDINATOR_EMBEDDED_WORKERS").getValue());
        assertEquals("30S", env(container, "P2PDL_COORDINATOR_LEASE_TTL").getValue());
        assertEquals("0", env(container, "P2PDL_COORDINATOR_LIMITS_MAX_CONNECTIONS_PER_ORIGIN").getValue(),
                "no per-origin cap unless asked");
        assertEquals("7400", env(container, "QUARKUS_GRPC_SERVER_PORT").getValue());
        assertEquals("7402", env(container, "QUARKUS_HTTP_PORT").getValue(), "health and metrics");

        Deployment worker = rendered.one(Deployment.class);
        assertEquals(2, worker.getSpec().getReplicas());
        Container workerContainer = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("p2pdl/worker:0.1.0", workerContainer.getImage());
        assertEquals("2", env(workerContainer, "P2PDL_WORKER_CONCURRENCY").getValue());
        assertEquals("7401", env(workerContainer, "QUARKUS_HTTP_PORT").getValue());

        assertEquals(1, rendered.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal());
        Set<String> services = rendered.all(Service.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(Set.of("rel-p2pdl-coordinator", "rel-p2pdl-coordinator-headless"), services);
        assertEquals("ClusterIP", rendered.named(Service.class, "rel-p2pdl-coordinator").getSpec().getType());
        assertEquals(Map.of("grpc", 7400), ports(rendered.named(Service.class, "rel-p2pdl-coordinator")));
        assertEquals(Map.of("grpc", 7400, "http", 7402), ports(rendered.named(Service.class, "rel-p2pdl-coordinator-headless")));
        assertTrue(rendered.all(NetworkPolicy.class).isEmpty(), "networkPolicy.enabled is false by default");
    }

    @Test
    void coordinatorPortsFollowTheirValuesEverywhere() {
        Rendered rendered = HelmChart.template(HelmChart.scenario("metrics"),
                Map.of("coordinator.port", "9000", "coordinator.httpPort", "9090"));
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        Container container = coordinator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Map.of("grpc", 9000, "http", 9090), container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort)));
        assertEquals("9000", env(container, "QUARKUS_GRPC_SERVER_PORT").getValue());
        assertEquals("9090", env(container, "QUARKUS_HTTP_PORT").getValue());
        assertEquals(Map.of("grpc", 9000), ports(rendered.named(Service.class, "rel-p2pdl-coordinator")));
        assertEquals(Map.of("grpc", 9000, "http", 9090), ports(rendered.named(Service.class, "rel-p2pdl-coordinator-headless")));
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            Set<Integer> toCoordinators = policy.getSpec().getEgress().stream()
                    .filter(rule -> rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null))
                    .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getIntVal()).collect(Collectors.toSet());
            assertEquals(Set.of(9000), toCoordinators, policy.getMetadata().getName() + ": egress to coordinators is gRPC");
        }
        Pod test = (Pod) rendered.hooks().get(0);
        assertEquals("rel-p2pdl-coordinator:9000", test.getSpec().getContainers().get(0).getArgs().get(2));
    }

    @Test
    void daemonSetAppearsExactlyInTheDaemonsetScenario() {
        for (Path scenario : HelmChart.scenarios()) {
            Rendered rendered = HelmChart.template(scenario);
            boolean daemonset = scenario.getFileName().toString().startsWith("daemonset-");
            assertEquals(daemonset ? 1 : 0, rendered.all(DaemonSet.class).size(), scenario.toString());
            assertEquals(daemonset ? 0 : 1, rendered.all(Deployment.class).size(), scenario.toString());
        }
        DaemonSet workers = HelmChart.template("daemonset").one(DaemonSet.class);
        assertEquals("rel-p2pdl-worker", workers.getMetadata().getName());
        assertEquals("node-role.kubernetes.io/control-plane",
                workers.getSpec().getTemplate().getSpec().getTolerations().get(0).getKey());
    }

    @Test
    void hpaAppearsExactlyInTheHpaScenarioAndOwnsTheWorkerReplicaCount() {
        for (Path scenario : HelmChart.scenarios()) {
            boolean hpa = scenario.getFileName().toString().startsWith("hpa-");
            assertEquals(hpa ? 1 : 0, HelmChart.template(scenario).all(HorizontalPodAutoscaler.class).size(), scenario.toString());
        }
        Rendered rendered = HelmChart.template("hpa");
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class);
        Deployment worker = rendered.one(Deployment.class);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(worker.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(2, hpa.getSpec().getMinReplicas());
        assertEquals(20, hpa.getSpec().getMaxReplicas());
        assertEquals(60, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
        assertNull(worker.getSpec().getReplicas(), "replicas belong to the HPA");
    }

    @Test
    void hpaIsNotRenderedForDaemonSetWorkers() {
        Rendered rendered = HelmChart.template(HelmChart.scenario("daemonset"), Map.of("worker.hpa.enabled", "true"));
        assertTrue(rendered.all(HorizontalPodAutoscaler.class).isEmpty());
    }

    @Test
    void threeCoordinatorsScenarioRunsThreeReplicasEachWithItsOwnVolume() {
        for (Path scenario : HelmChart.scenarios()) {
            boolean three = scenario.getFileName().toString().startsWith("three-coordinators-");
            assertEquals(three ? 3 : 1, HelmChart.template(scenario).one(StatefulSet.class).getSpec().getReplicas(),
                    scenario.toString());
        }
        StatefulSet coordinator = HelmChart.template("three-coordinators").one(StatefulSet.class);
        PersistentVolumeClaim data = coordinator.getSpec().getVolumeClaimTemplates().get(0);
        assertEquals("standard", data.getSpec().getStorageClassName());
        assertEquals("50Gi", data.getSpec().getResources().getRequests().get("storage").toString());
        assertTrue(coordinator.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("data")),
                "the data volume comes from the claim template, one PVC per pod");
    }

    @Test
    void withoutPersistenceTheDataVolumeIsAnEmptyDir() {
        StatefulSet coordinator = HelmChart.template(null, Map.of("coordinator.persistence.enabled", "false"))
                .one(StatefulSet.class);
        assertTrue(coordinator.getSpec().getVolumeClaimTemplates() == null
                || coordinator.getSpec().getVolumeClaimTemplates().isEmpty());
        assertTrue(coordinator.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("data") && v.getEmptyDir() != null));
    }

    @Test
    void serviceMonitorsAppearExactlyInTheMetricsScenarioOnePerComponent() {
        for (Path scenario : HelmChart.scenarios()) {
            boolean metrics = scenario.getFileName().toString().startsWith("metrics-");
            Rendered rendered = HelmChart.template(scenario);
            assertEquals(metrics ? 2 : 0, rendered.kind("ServiceMonitor").size(), scenario.toString());
            assertEquals(metrics ? 1 : 0, rendered.kind("PrometheusRule").size(), scenario.toString());
            assertEquals(metrics ? DashboardTest.dashboards().size() : 0, rendered.all(ConfigMap.class).size(),
                    "dashboard ConfigMaps: " + scenario);
        }
        Rendered rendered = HelmChart.template("metrics");
        for (HasMetadata resource : rendered.kind("ServiceMonitor")) {
            GenericKubernetesResource monitor = (GenericKubernetesResource) resource;
            assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            assertEquals(1, endpoints.size());
            assertEquals("/q/metrics", endpoints.get(0).get("path"));
            assertEquals("15s", endpoints.get(0).get("interval"));
        }
    }

    /**
     * Each ServiceMonitor's port name must exist on the one Service it selects and lead to the
     * container port Quarkus' HTTP server listens on: for coordinators `http`, never `grpc`
     * (grpc-java's server there answers no {@code /q/metrics}).
     */
    @Test
    void everyServiceMonitorScrapesThePortWhereQuarkusServesMetrics() {
        Rendered rendered = HelmChart.template("metrics");
        Map<String, String> scrapedPortName = new TreeMap<>();
        for (HasMetadata resource : rendered.kind("ServiceMonitor")) {
            GenericKubernetesResource monitor = (GenericKubernetesResource) resource;
            String name = monitor.getMetadata().getName();
            Map<String, String> matchLabels = monitor.get("spec", "selector", "matchLabels");
            List<Service> scraped = rendered.all(Service.class).stream()
                    .filter(s -> ChartScenariosTest.isSubset(matchLabels, s.getMetadata().getLabels())).toList();
            assertEquals(1, scraped.size(), "exactly one Service per ServiceMonitor: " + matchLabels);
            Service service = scraped.get(0);
            assertEquals("None", service.getSpec().getClusterIP(), name + ": every pod scraped, not one behind a VIP");
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            String portName = (String) endpoints.get(0).get("port");
            scrapedPortName.put(name, portName);
            ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> p.getName().equals(portName))
                    .findFirst().orElseThrow(() -> new AssertionError(name + ": Service has no port " + portName));
            for (PodTemplateSpec pod : rendered.podTemplates().values()) {
                if (!ChartScenariosTest.isSubset(service.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    continue;
                }
                ContainerPort target = ChartScenariosTest.containerPorts(pod.getSpec()).get(servicePort.getTargetPort().getStrVal());
                assertEquals(env(pod.getSpec().getContainers().get(0), "QUARKUS_HTTP_PORT").getValue(),
                        String.valueOf(target.getContainerPort()), name + ": scrapes port " + portName
                                + ", not where Quarkus' HTTP server listens");
            }
        }
        assertEquals(Map.of("rel-p2pdl-coordinator", "http", "rel-p2pdl-worker", "http"), scrapedPortName);
    }

    /**
     * The metrics scenario's extraIngress names the port `http`: it must admit Prometheus to the
     * port each ServiceMonitor scrapes, on coordinators and workers alike.
     */
    @Test
    void extraIngressAdmitsPrometheusToThePortEachServiceMonitorScrapes() {
        Rendered rendered = HelmChart.template("metrics");
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            String where = policy.getMetadata().getName();
            PodTemplateSpec pod = rendered.podTemplates().values().stream()
                    .filter(t -> ChartScenariosTest.isSubset(policy.getSpec().getPodSelector().getMatchLabels(), t.getMetadata().getLabels()))
                    .findFirst().orElseThrow();
            List<NetworkPolicyIngressRule> fromMonitoring = policy.getSpec().getIngress().stream()
                    .filter(rule -> rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null))
                    .toList();
            assertEquals(1, fromMonitoring.size(), where);
            List<String> admitted = fromMonitoring.get(0).getPorts().stream().map(p -> p.getPort().getStrVal()).toList();
            assertEquals(List.of("http"), admitted, where);
            assertTrue(ChartScenariosTest.containerPorts(pod.getSpec()).containsKey("http"),
                    where + ": the named port resolves on the selected pods");
        }
    }

    @Test
    void networkPoliciesAdmitOnlyWorkersPeersAndLabelledClientsToCoordinators() {
        Rendered rendered = HelmChart.template("metrics");
        NetworkPolicy coordinator = rendered.named(NetworkPolicy.class, "rel-p2pdl-coordinator");
        List<NetworkPolicyPeer> from = coordinator.getSpec().getIngress().get(0).getFrom();
        Set<Map<String, String>> admitted = from.stream().map(p -> p.getPodSelector().getMatchLabels()).collect(Collectors.toSet());
        Deployment worker = rendered.one(Deployment.class);
        StatefulSet coordinators = rendered.one(StatefulSet.class);
        assertEquals(Set.of(worker.getSpec().getSelector().getMatchLabels(),
                coordinators.getSpec().getSelector().getMatchLabels(),
                Map.of("rel-p2pdl-client", "true")), admitted);
        assertEquals(List.of("grpc"), coordinator.getSpec().getIngress().get(0).getPorts().stream()
                .map(p -> p.getPort().getStrVal()).toList(), "workers, peers and clients reach gRPC only");
        assertEquals("monitoring", coordinator.getSpec().getIngress().get(1).getFrom().get(0)
                .getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"), "extraIngress");

        NetworkPolicy workers = rendered.named(NetworkPolicy.class, "rel-p2pdl-worker");
        assertEquals(List.of("Ingress", "Egress"), workers.getSpec().getPolicyTypes());
        Set<Integer> egressPorts = workers.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getIntVal()).collect(Collectors.toSet());
        assertEquals(Set.of(53, 443, 6443, 80, 7400), egressPorts, "DNS, API server, origins, coordinators");
        assertTrue(workers.getSpec().getEgress().stream().anyMatch(rule -> rule.getTo() != null && rule.getTo().stream()
                .anyMatch(peer -> peer.getIpBlock() != null && peer.getIpBlock().getCidr().equals("0.0.0.0/0"))));
    }

    @Test
    void customNamesRenameEveryResourceAndPinTheImages() {
        Rendered rendered = HelmChart.template("custom-names");
        for (HasMetadata resource : rendered.resources()) {
            assertTrue(resource.getMetadata().getName().startsWith("bulk-downloader"),
                    resource.getKind() + "/" + resource.getMetadata().getName());
            assertEquals("dl", resource.getMetadata().getLabels().get("app.kubernetes.io/name"));
        }
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        assertEquals("bulk-downloader-coordinator", coordinator.getMetadata().getName());
        assertEquals("bulk-downloader-coordinator-headless", coordinator.getSpec().getServiceName());
        assertEquals("registry.example.com/p2pdl/coordinator:0.1.0-rc1",
                coordinator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("bulk-downloader-worker", rendered.one(Deployment.class).getMetadata().getName());
        Container worker = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("app.kubernetes.io/component=coordinator,app.kubernetes.io/instance=rel,app.kubernetes.io/name=dl",
                env(worker, "P2PDL_WORKER_KUBERNETES_SELECTOR").getValue());
    }

    @Test
    void nameOverrideAloneKeepsTheReleasePrefix() {
        Rendered rendered = HelmChart.template(null, Map.of("nameOverride", "dl"));
        assertEquals("rel-dl-coordinator", rendered.one(StatefulSet.class).getMetadata().getName());
        assertFalse(rendered.resources().stream().anyMatch(r -> r.getMetadata().getName().contains("p2pdl")));
    }

    static Map<String, Integer> ports(Service service) {
        return service.getSpec().getPorts().stream().collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));
    }

    @Test
    void longReleaseNamesKeepStatefulSetNamesShortEnoughForPodRevisionLabels() {
        String release = "a-very-long-release-name-that-goes-on-and-on-for-ever";
        Rendered rendered = Rendered.parse(HelmChart.templateYaml(HelmChart.DIR, release, null, Map.of()));
        assertTrue(rendered.one(StatefulSet.class).getMetadata().getName().length() <= 52);
    }
}
