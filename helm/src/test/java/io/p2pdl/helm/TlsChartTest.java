package io.p2pdl.helm;

import static io.p2pdl.helm.ChartScenariosTest.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code tls.*}: off by default; on, every pod that talks to coordinators verifies them. */
class TlsChartTest {

    private static final String SERVER_NAME = "rel-p2pdl-coordinator.downloads.svc";

    @Test
    void tlsIsOffByDefault() {
        Rendered rendered = HelmChart.template("default");
        Container coordinator = coordinator(rendered);
        assertTrue(coordinator.getEnv().stream().noneMatch(e -> e.getName().startsWith("P2PDL_TLS_")));
        assertNull(coordinator.getReadinessProbe().getHttpGet().getScheme(), "HTTP probes");
        assertTrue(rendered.kind("Certificate").isEmpty());
        assertEquals("kubernetes.io/h2c", rendered.named(Service.class, "rel-p2pdl-coordinator").getSpec().getPorts()
                .get(0).getAppProtocol());
        assertEquals(Map.of("grpc", "kubernetes.io/h2c", "http", "http"),
                appProtocols(rendered.named(Service.class, "rel-p2pdl-coordinator-headless")));
        for (PodSpec pod : pods(rendered)) {
            assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getName().equals("tls")));
        }
    }

    @Test
    void coordinatorsMountCertificateAndKeyAndProbeOverHttps() {
        Rendered rendered = HelmChart.template("tls");
        StatefulSet statefulSet = rendered.one(StatefulSet.class);
        Container c = coordinator(rendered);
        assertEquals("/etc/p2pdl/tls/tls.crt", env(c, "P2PDL_TLS_CERT_FILE").getValue());
        assertEquals("/etc/p2pdl/tls/tls.key", env(c, "P2PDL_TLS_KEY_FILE").getValue());
        assertEquals("/etc/p2pdl/tls/ca.crt", env(c, "P2PDL_TLS_CA_FILE").getValue(), "peers and embedded workers");
        assertEquals(SERVER_NAME, env(c, "P2PDL_TLS_SERVER_NAME").getValue());
        for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            assertEquals("HTTPS", probe.getHttpGet().getScheme());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal(), "the health port, serving TLS like gRPC");
        }
        Volume tls = volume(statefulSet.getSpec().getTemplate().getSpec());
        assertEquals("rel-p2pdl-tls", tls.getSecret().getSecretName());
        assertEquals(Set.of("tls.crt", "tls.key", "ca.crt"), keys(tls));
        assertEquals(0440, tls.getSecret().getDefaultMode());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("tls")
                && m.getMountPath().equals("/etc/p2pdl/tls") && Boolean.TRUE.equals(m.getReadOnly())));
        for (Service s : rendered.all(Service.class)) {
            if (s.getMetadata().getName().startsWith("rel-p2pdl-coordinator")) {
                for (String appProtocol : appProtocols(s).values()) {
                    assertEquals("https", appProtocol, s.getMetadata().getName() + ": both ports serve TLS only");
                }
            }
        }
    }

    @Test
    void workersAndTheTestPodTrustOnlyTheCaAndVerifyTheServerName() {
        Rendered rendered = HelmChart.template("tls");
        PodSpec worker = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
        PodSpec test = ((Pod) rendered.hooks().get(0)).getSpec();
        for (PodSpec pod : List.of(worker, test)) {
            Container container = pod.getContainers().get(0);
            assertEquals("/etc/p2pdl/tls/ca.crt", env(container, "P2PDL_TLS_CA_FILE").getValue());
            assertEquals(SERVER_NAME, env(container, "P2PDL_TLS_SERVER_NAME").getValue());
            assertTrue(container.getEnv().stream().map(EnvVar::getName)
                    .noneMatch(n -> n.equals("P2PDL_TLS_KEY_FILE") || n.equals("P2PDL_TLS_CERT_FILE")));
            assertEquals(Set.of("ca.crt"), keys(volume(pod)), "never the private key");
            assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("tls")));
        }
    }

    @Test
    void certManagerCertificateCoversTheServerNameAndEveryCoordinatorName() {
        GenericKubernetesResource cert = (GenericKubernetesResource) HelmChart.template("tls").kind("Certificate").get(0);
        assertEquals("cert-manager.io/v1", cert.getApiVersion());
        assertEquals("rel-p2pdl-tls", cert.get("spec", "secretName"));
        List<String> dnsNames = cert.get("spec", "dnsNames");
        assertEquals(List.of(SERVER_NAME, "rel-p2pdl-coordinator", "rel-p2pdl-coordinator.downloads",
                "*.rel-p2pdl-coordinator-headless.downloads.svc"), dnsNames);
        assertEquals("p2pdl-ca", cert.get("spec", "issuerRef", "name"));
        assertEquals("Issuer", cert.get("spec", "issuerRef", "kind"));
        assertEquals("Always", cert.get("spec", "privateKey", "rotationPolicy"));
    }

    @Test
    void ownSecretAndServerNameAreUsedEverywhereWithoutACertificate() {
        Rendered rendered = HelmChart.template(HelmChart.scenario("default"), Map.of("tls.enabled", "true",
                "tls.secretName", "my-tls", "tls.serverName", "p2pdl.example.internal"));
        assertTrue(rendered.kind("Certificate").isEmpty(), "no issuer, no Certificate");
        for (PodSpec pod : pods(rendered)) {
            assertEquals("my-tls", volume(pod).getSecret().getSecretName());
            assertEquals("p2pdl.example.internal", env(pod.getContainers().get(0), "P2PDL_TLS_SERVER_NAME").getValue());
        }
    }

    @Test
    void coordinatorServiceMonitorScrapesOverHttpsVerifyingTheCa() {
        Rendered rendered = HelmChart.template(HelmChart.scenario("metrics"), Map.of("tls.enabled", "true"));
        for (HasMetadata resource : rendered.kind("ServiceMonitor")) {
            GenericKubernetesResource monitor = (GenericKubernetesResource) resource;
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            Map<String, Object> endpoint = endpoints.get(0);
            if (monitor.getMetadata().getName().equals("rel-p2pdl-coordinator")) {
                assertEquals("http", endpoint.get("port"), "the metrics port, over TLS");
                assertEquals("https", endpoint.get("scheme"));
                Map<String, Object> tlsConfig = cast(endpoint.get("tlsConfig"));
                assertEquals(Map.of("secret", Map.of("name", "rel-p2pdl-tls", "key", "ca.crt")), tlsConfig.get("ca"));
                assertEquals(SERVER_NAME, tlsConfig.get("serverName"));
            } else {
                assertFalse(endpoint.containsKey("scheme"), "workers serve plain HTTP metrics");
            }
        }
    }

    @Test
    void notesJobTrustsTheCaAndTellsHowToFetchIt() {
        String notes = HelmChart.notes(HelmChart.scenario("tls"));
        String yaml = notes.substring(notes.indexOf("<<'YAML'") + "<<'YAML'".length(), notes.indexOf("  YAML"))
                .replaceAll("(?m)^  ", "");
        io.fabric8.kubernetes.api.model.batch.v1.Job job = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                yaml, io.fabric8.kubernetes.api.model.batch.v1.Job.class);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container cli = pod.getContainers().get(0);
        assertEquals("/etc/p2pdl/tls/ca.crt", env(cli, "P2PDL_TLS_CA_FILE").getValue());
        assertEquals(SERVER_NAME, env(cli, "P2PDL_TLS_SERVER_NAME").getValue());
        assertEquals(Set.of("ca.crt"), keys(volume(pod)));
        assertTrue(cli.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("tls")));
        assertTrue(notes.contains("--tls-ca p2pdl-ca.crt --tls-server-name " + SERVER_NAME), notes);
    }

    private static Map<String, String> appProtocols(Service service) {
        return service.getSpec().getPorts().stream().collect(Collectors.toMap(ServicePort::getName, ServicePort::getAppProtocol));
    }

    private static Container coordinator(Rendered rendered) {
        return rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static List<PodSpec> pods(Rendered rendered) {
        return List.of(rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec(),
                rendered.one(Deployment.class).getSpec().getTemplate().getSpec(),
                ((Pod) rendered.hooks().get(0)).getSpec());
    }

    private static Volume volume(PodSpec pod) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst()
                .orElseThrow(() -> new AssertionError("no tls volume"));
    }

    private static Set<String> keys(Volume tls) {
        return tls.getSecret().getItems().stream().map(KeyToPath::getKey).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
