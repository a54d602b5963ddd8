package io.p2pdl.helm;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Invariants every {@code ci/*-values.yaml} scenario must keep, checked on the rendered
 * manifests parsed into typed Kubernetes objects.
 */
class ChartScenariosTest {

    static Stream<Arguments> scenarios() {
        return HelmChart.scenarios().stream().map(path -> Arguments.of(Named.of(name(path), path)));
    }

    static String name(Path scenario) {
        return scenario.getFileName().toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void lintPassesInStrictMode(Path scenario) {
        LintResult result = HelmChart.lint(scenario);
        assertFalse(result.isFailed(), () -> name(scenario) + ": " + result.getMessages());
        for (String message : result.getMessages()) {
            assertTrue(message.startsWith("[INFO]"), () -> name(scenario) + ": " + message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void workloadSelectorsMatchTheirPodLabelsAndNeverTheChartVersion(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        for (HasMetadata workload : rendered.manifests()) {
            LabelSelector selector;
            PodTemplateSpec template;
            if (workload instanceof StatefulSet s) {
                selector = s.getSpec().getSelector();
                template = s.getSpec().getTemplate();
            } else if (workload instanceof Deployment d) {
                selector = d.getSpec().getSelector();
                template = d.getSpec().getTemplate();
            } else if (workload instanceof DaemonSet d) {
                selector = d.getSpec().getSelector();
                template = d.getSpec().getTemplate();
            } else {
                continue;
            }
            String where = name(scenario) + " " + workload.getKind();
            assertNotNull(selector.getMatchLabels(), where);
            assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), where);
            assertSubset(selector.getMatchLabels(), template.getMetadata().getLabels(), where);
            assertNoChartVersion(selector.getMatchLabels(), where);
        }
        List<Map<String, String>> otherSelectors = new ArrayList<>();
        rendered.all(Service.class).forEach(s -> otherSelectors.add(s.getSpec().getSelector()));
        rendered.all(PodDisruptionBudget.class).forEach(p -> otherSelectors.add(p.getSpec().getSelector().getMatchLabels()));
        rendered.all(NetworkPolicy.class).forEach(p -> otherSelectors.add(p.getSpec().getPodSelector().getMatchLabels()));
        for (Map<String, String> selector : otherSelectors) {
            assertNoChartVersion(selector, name(scenario));
            assertTrue(rendered.podTemplates().values().stream().anyMatch(t -> isSubset(selector, t.getMetadata().getLabels())),
                    () -> name(scenario) + ": selector " + selector + " matches no pod template");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void servicesReachNamedContainerPortsWithTheSameNumbers(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        List<Service> services = rendered.all(Service.class);
        assertFalse(services.isEmpty());
        for (Service service : services) {
            String where = name(scenario) + " Service " + service.getMetadata().getName();
            List<PodTemplateSpec> targets = rendered.podTemplates().values().stream()
                    .filter(t -> isSubset(service.getSpec().getSelector(), t.getMetadata().getLabels())).toList();
            assertFalse(targets.isEmpty(), where + " selects no pods");
            for (ServicePort port : service.getSpec().getPorts()) {
                String targetPort = port.getTargetPort().getStrVal();
                assertNotNull(targetPort, where + ": targetPort must be a port name");
                assertEquals(port.getName(), targetPort, where + ": port and targetPort names differ");
                for (PodTemplateSpec target : targets) {
                    ContainerPort containerPort = containerPorts(target.getSpec()).get(targetPort);
                    assertNotNull(containerPort, where + ": no container port named " + targetPort);
                    assertEquals(port.getPort(), containerPort.getContainerPort(), where + ": port numbers differ");
                    assertEquals(port.getProtocol(), containerPort.getProtocol(), where);
                }
            }
        }
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        Service headless = rendered.named(Service.class, coordinator.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.FALSE, headless.getSpec().getPublishNotReadyAddresses());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void probesUseTheHttpPortWhereQuarkusServesHealth(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        for (PodTemplateSpec template : rendered.podTemplates().values()) {
            for (Container container : template.getSpec().getContainers()) {
                String where = name(scenario) + " " + container.getName();
                assertTrue(Set.of("coordinator", "worker").contains(container.getName()), where + ": unexpected container");
                ContainerPort http = containerPorts(template.getSpec()).get("http");
                assertNotNull(http, where + ": no container port named http");
                assertProbe(container.getStartupProbe(), "/q/health/started", "http", where);
                assertProbe(container.getLivenessProbe(), "/q/health/live", "http", where);
                assertProbe(container.getReadinessProbe(), "/q/health/ready", "http", where);
                assertEquals(String.valueOf(http.getContainerPort()), env(container, "QUARKUS_HTTP_PORT").getValue(),
                        where + ": Quarkus' HTTP server listens where the probes look");
            }
        }
    }

    /**
     * The coordinator's gRPC server (grpc-java, its own port) serves no {@code /q/health}: probes
     * or a scrape aimed at {@code grpc} would fail every pod. Also caught by number, in case a
     * template writes the port as {@code coordinator.port}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void coordinatorServesGrpcAndHealthOnTwoPortsAndProbesNeverTheGrpcOne(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        PodSpec pod = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        String where = name(scenario) + " coordinator";
        Map<String, ContainerPort> ports = containerPorts(pod);
        assertEquals(Set.of("grpc", "http"), ports.keySet(), where);
        int grpc = ports.get("grpc").getContainerPort();
        int http = ports.get("http").getContainerPort();
        assertFalse(grpc == http, where + ": one port for two servers");
        assertEquals(String.valueOf(grpc), env(container, "QUARKUS_GRPC_SERVER_PORT").getValue(),
                where + ": the gRPC server listens on the port workers and peers discover by name");
        assertEquals(String.valueOf(http), env(container, "QUARKUS_HTTP_PORT").getValue(), where);
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            String port = probe.getHttpGet().getPort().getStrVal();
            Integer number = probe.getHttpGet().getPort().getIntVal();
            assertFalse("grpc".equals(port) || Integer.valueOf(grpc).equals(number),
                    where + ": " + probe.getHttpGet().getPath() + " probed on the gRPC port");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void workersLookForCoordinatorPodsAndNeverForWorkers(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        PodTemplateSpec workerTemplate = workerTemplate(rendered);
        Container worker = workerTemplate.getSpec().getContainers().get(0);

        Map<String, String> selector = parseSelector(env(worker, "P2PDL_WORKER_KUBERNETES_SELECTOR").getValue());
        assertEquals(coordinator.getSpec().getSelector().getMatchLabels(), selector,
                "exactly the coordinator pods' selector labels");
        assertSubset(selector, coordinator.getSpec().getTemplate().getMetadata().getLabels(), "coordinator pods");
        assertFalse(isSubset(selector, workerTemplate.getMetadata().getLabels()), "worker pods must not match");
        for (Pod hook : rendered.all(Pod.class)) {
            assertFalse(isSubset(selector, hook.getMetadata().getLabels()), "the test pod must not match");
        }
        assertEquals("kubernetes", env(worker, "P2PDL_WORKER_DISCOVERY").getValue());
        assertEquals("metadata.namespace",
                env(worker, "P2PDL_WORKER_KUBERNETES_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void coordinatorsFindTheirPeersWithTheSameSelectorAndKeepStateOnTheirVolume(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        Container container = coordinator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(coordinator.getSpec().getSelector().getMatchLabels(),
                parseSelector(env(container, "P2PDL_COORDINATOR_KUBERNETES_SELECTOR").getValue()));
        assertEquals("kubernetes", env(container, "P2PDL_COORDINATOR_PEERS_DISCOVERY").getValue());
        assertEquals("metadata.namespace",
                env(container, "P2PDL_COORDINATOR_KUBERNETES_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.name",
                env(container, "P2PDL_COORDINATOR_NODE_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("/data", env(container, "P2PDL_COORDINATOR_DATA_DIR").getValue());
        assertEquals("/data/.p2pdl", env(container, "P2PDL_COORDINATOR_STATE_DIR").getValue());
        assertTrue(container.getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("data") && m.getMountPath().equals("/data")));
        assertEquals("data", coordinator.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
        for (String key : List.of("P2PDL_COORDINATOR_CHUNK_SIZE", "P2PDL_COORDINATOR_EMBEDDED_WORKERS",
                "P2PDL_COORDINATOR_LEASE_TTL")) {
            assertNotNull(env(container, key).getValue(), key);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void discoveryRoleGrantsOnlyGetListWatchOnPodsToBothServiceAccounts(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        Role role = rendered.one(Role.class);
        assertEquals(1, role.getRules().size());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of(""), rule.getApiGroups());
        assertEquals(List.of("pods"), rule.getResources());
        assertEquals(Set.of("get", "list", "watch"), Set.copyOf(rule.getVerbs()));
        assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
        assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
        assertTrue(rendered.kind("ClusterRole").isEmpty() && rendered.kind("ClusterRoleBinding").isEmpty());

        RoleBinding binding = rendered.one(RoleBinding.class);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("Role", binding.getRoleRef().getKind());
        Set<String> subjects = binding.getSubjects().stream().map(s -> s.getName()).collect(Collectors.toSet());
        for (PodTemplateSpec template : rendered.podTemplates().values()) {
            assertTrue(subjects.contains(template.getSpec().getServiceAccountName()),
                    "bound: " + template.getSpec().getServiceAccountName());
        }
        assertEquals(2, subjects.size(), "one ServiceAccount per component");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyPodAndContainerMeetsTheRestrictedStandard(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        Map<String, PodSpec> pods = rendered.podSpecs();
        assertTrue(pods.size() >= 3, "coordinator, worker and the test pod: " + pods.keySet());
        pods.forEach((where, pod) -> Restricted.assertMet(pod, name(scenario) + " " + where));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void tokensComeFromTheTokenSecretWorkersGetOnlyTheirs(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        List<Secret> secrets = rendered.all(Secret.class);
        String secretName = secrets.isEmpty()
                ? (String) ((Map<?, ?>) HelmChart.readYamlMap(scenario).get("auth")).get("existingSecret")
                : secrets.get(0).getMetadata().getName();
        Container coordinator = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Container worker = workerTemplate(rendered).getSpec().getContainers().get(0);
        assertSecretKey(env(coordinator, "P2PDL_WORKER_TOKEN"), secretName, "worker-token");
        assertSecretKey(env(coordinator, "P2PDL_ADMIN_TOKEN"), secretName, "admin-token");
        assertSecretKey(env(worker, "P2PDL_WORKER_TOKEN"), secretName, "worker-token");
        assertTrue(worker.getEnv().stream().noneMatch(e -> e.getName().equals("P2PDL_ADMIN_TOKEN")),
                "workers never hold the admin token");
        for (Pod hook : rendered.all(Pod.class)) {
            assertSecretKey(env(hook.getSpec().getContainers().get(0), "P2PDL_ADMIN_TOKEN"), secretName, "admin-token");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void helmTestPodListsDownloadsThroughTheClientService(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        List<HasMetadata> hooks = rendered.hooks();
        assertEquals(1, hooks.size());
        Pod pod = (Pod) hooks.get(0);
        assertEquals("test", pod.getMetadata().getAnnotations().get(HelmChart.HOOK_MARKER));
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        Container cli = pod.getSpec().getContainers().get(0);
        assertTrue(cli.getImage().contains("/cli:") || cli.getImage().startsWith("p2pdl/cli:"), cli.getImage());

        StatefulSet coordinator = rendered.one(StatefulSet.class);
        Service client = clientService(rendered, coordinator);
        assertEquals(List.of("grpc"), client.getSpec().getPorts().stream().map(ServicePort::getName).toList(),
                "admin clients reach only gRPC through the client Service");
        int port = client.getSpec().getPorts().get(0).getPort();
        assertEquals(List.of("list", "--coordinator", client.getMetadata().getName() + ":" + port), cli.getArgs());
        String clientLabel = HelmChart.readYamlMap(scenario).containsKey("fullnameOverride")
                ? HelmChart.readYamlMap(scenario).get("fullnameOverride") + "-client"
                : "rel-p2pdl-client";
        assertEquals("true", pod.getMetadata().getLabels().get(clientLabel),
                "admitted by the coordinators' NetworkPolicy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void notesExplainHowToSubmitWatchAndReadLogs(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        String notes = HelmChart.notes(scenario);
        StatefulSet coordinator = rendered.one(StatefulSet.class);
        Service client = clientService(rendered, coordinator);
        String address = client.getMetadata().getName() + ":" + client.getSpec().getPorts().get(0).getPort();
        assertTrue(notes.contains("--coordinator, \"" + address + "\""), notes);
        if (!name(scenario).startsWith("tls-")) {
            // With TLS the interactive pod is replaced by the CA download (TlsChartTest).
            assertTrue(notes.contains("-- submit https://example.org/big.iso --coordinator " + address), notes);
        }
        assertTrue(notes.contains("kubectl -n " + HelmChart.NAMESPACE + " logs -f job/p2pdl-submit"), notes);
        assertTrue(notes.contains("wait --for=condition=complete"), notes);
        assertTrue(notes.contains("helm test " + HelmChart.RELEASE), notes);
        int httpPort = containerPorts(coordinator.getSpec().getTemplate().getSpec()).get("http").getContainerPort();
        assertTrue(notes.contains("health and metrics on each pod's port " + httpPort + " (`http`"), notes);
        assertFalse(notes.contains("<no value>"), notes);
        Container cli = ((Pod) rendered.hooks().get(0)).getSpec().getContainers().get(0);
        assertTrue(notes.contains("image: " + cli.getImage()), "the CLI image of the test pod");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyResourceIsLabelledAndLivesInTheReleaseNamespace(Path scenario) {
        Rendered rendered = HelmChart.template(scenario);
        for (HasMetadata resource : rendered.resources()) {
            String where = name(scenario) + " " + resource.getKind() + "/" + resource.getMetadata().getName();
            assertEquals(HelmChart.NAMESPACE, resource.getMetadata().getNamespace(), where);
            Map<String, String> labels = resource.getMetadata().getLabels();
            assertNotNull(labels, where);
            assertEquals(HelmChart.RELEASE, labels.get("app.kubernetes.io/instance"), where);
            assertNotNull(labels.get("app.kubernetes.io/name"), where);
            assertNotNull(labels.get("helm.sh/chart"), where);
            assertTrue(resource.getMetadata().getName().length() <= 63, where);
        }
    }

    // ---- helpers

    static PodTemplateSpec workerTemplate(Rendered rendered) {
        return rendered.podTemplates().entrySet().stream()
                .filter(e -> e.getKey().startsWith("Deployment/") || e.getKey().startsWith("DaemonSet/"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    static Service clientService(Rendered rendered, StatefulSet coordinator) {
        return rendered.all(Service.class).stream()
                .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
                .filter(s -> Objects.equals(s.getSpec().getSelector(), coordinator.getSpec().getSelector().getMatchLabels()))
                .findFirst().orElseThrow(() -> new AssertionError("no client Service for the coordinators"));
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no env " + name));
    }

    static Map<String, ContainerPort> containerPorts(PodSpec pod) {
        Map<String, ContainerPort> ports = new LinkedHashMap<>();
        for (Container container : pod.getContainers()) {
            if (container.getPorts() != null) {
                container.getPorts().forEach(p -> ports.put(p.getName(), p));
            }
        }
        return ports;
    }

    static Map<String, String> parseSelector(String selector) {
        Map<String, String> terms = new LinkedHashMap<>();
        for (String term : selector.split(",")) {
            String[] kv = term.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                fail("not an equality selector: " + selector);
            }
            terms.put(kv[0], kv[1]);
        }
        return terms;
    }

    static boolean isSubset(Map<String, String> selector, Map<String, String> labels) {
        return labels != null && selector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static void assertSubset(Map<String, String> selector, Map<String, String> labels, String where) {
        assertTrue(isSubset(selector, labels), () -> where + ": " + selector + " not within " + labels);
    }

    static void assertNoChartVersion(Map<String, String> selector, String where) {
        assertFalse(selector.containsKey("helm.sh/chart"), where);
        assertFalse(selector.containsKey("app.kubernetes.io/version"), where);
        String version = HelmChart.readYamlMap(HelmChart.SOURCE.resolve("Chart.yaml")).get("version").toString();
        selector.values().forEach(v -> assertFalse(v.contains(version), () -> where + ": " + selector));
    }

    static void assertProbe(Probe probe, String path, String portName, String where) {
        assertNotNull(probe, where + " " + path);
        assertEquals(path, probe.getHttpGet().getPath(), where);
        assertEquals(portName, probe.getHttpGet().getPort().getStrVal(), where + " " + path);
    }

    static void assertSecretKey(EnvVar env, String secret, String key) {
        assertNotNull(env.getValueFrom(), env.getName());
        assertEquals(secret, env.getValueFrom().getSecretKeyRef().getName(), env.getName());
        assertEquals(key, env.getValueFrom().getSecretKeyRef().getKey(), env.getName());
    }
}
