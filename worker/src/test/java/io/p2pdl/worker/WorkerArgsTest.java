package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class WorkerArgsTest {

    private static final UnaryOperator<String> NONE = k -> null;

    private static WorkerArgs parse(String... args) throws WorkerArgs.UsageException {
        return WorkerArgs.parse(args, NONE, NONE);
    }

    private static String error(String... args) {
        return assertThrows(WorkerArgs.UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void flagsMapToConfigurationProperties() throws Exception {
        WorkerArgs a = parse("--coordinator", "coord-0:7400", "--coordinator=[::1]:7400", "--concurrency", "8",
                "--port", "0", "--bind", "127.0.0.1", "--id", "w-1");
        assertEquals(Map.of(
                "p2pdl.worker.coordinators", "coord-0:7400,[::1]:7400",
                "p2pdl.worker.concurrency", "8",
                "quarkus.http.port", "0",
                "quarkus.http.host", "127.0.0.1",
                "p2pdl.worker.id", "w-1"), a.properties());
    }

    @Test
    void allowedOriginCidrsAccumulateInNormalForm() throws Exception {
        WorkerArgs a = parse("--coordinator", "c:7400", "--allow-origin-cidr", "127.0.0.0/8",
                "--allow-origin-cidr=fd00::/8");
        assertEquals("127.0.0.0/8,fd00::/8", a.properties().get("p2pdl.worker.origins.allowed-cidrs"));
        assertEquals("--allow-origin-cidr: 'localhost' is not a CIDR: 'localhost' is not an IP address",
                error("--coordinator", "c:7400", "--allow-origin-cidr", "localhost"));
    }

    @Test
    void tlsFlagsMapToTheSharedTlsKeys() throws Exception {
        assertEquals(Map.of(
                "p2pdl.worker.coordinators", "c:7400",
                "p2pdl.tls.ca-file", "/etc/p2pdl/tls/ca.crt",
                "p2pdl.tls.server-name", "p2pdl-coordinator.p2pdl.svc"),
                parse("--coordinator", "c:7400", "--tls-ca", "/etc/p2pdl/tls/ca.crt",
                        "--tls-server-name=p2pdl-coordinator.p2pdl.svc").properties());
        assertEquals(Map.of("p2pdl.worker.coordinators", "c:7400", "p2pdl.tls.enabled", "true"),
                parse("--tls", "--coordinator", "c:7400").properties());
        assertEquals("--tls-ca needs a value", error("--coordinator", "c:7400", "--tls-ca"));
        assertEquals("unknown flag --tls (see --help)", error("--tls=yes", "--coordinator", "c:7400"));
    }

    @Test
    void helpWinsOverEverythingElse() throws Exception {
        assertTrue(parse("--port", "1", "--help").help());
    }

    @Test
    void noCoordinatorAnywhereIsAnError() {
        assertEquals("no coordinator given: use --coordinator HOST:PORT, set P2PDL_WORKER_COORDINATORS"
                + " or use --discovery kubernetes", error());
    }

    @Test
    void kubernetesDiscoveryNeedsNoCoordinator() throws Exception {
        assertEquals(Map.of(
                "p2pdl.worker.discovery", "kubernetes",
                "p2pdl.worker.kubernetes.selector", "app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator",
                "p2pdl.worker.kubernetes.namespace", "team-a"),
                parse("--discovery", "kubernetes", "--selector",
                        "app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator", "--namespace=team-a")
                        .properties());
    }

    @Test
    void insideAPodWithoutCoordinatorsKubernetesDiscoveryIsTheDefault() throws Exception {
        UnaryOperator<String> pod = k -> k.equals("KUBERNETES_SERVICE_HOST") ? "10.96.0.1" : null;
        assertEquals(Map.of("p2pdl.worker.kubernetes.selector", "a=b"),
                WorkerArgs.parse(new String[] {"--selector", "a=b"}, NONE, pod).properties());
    }

    @Test
    void discoveryFromTheEnvironmentIsHonoured() throws Exception {
        UnaryOperator<String> env = k -> k.equals("P2PDL_WORKER_DISCOVERY") ? "kubernetes" : null;
        assertEquals(Map.of(), WorkerArgs.parse(new String[0], NONE, env).properties());
        UnaryOperator<String> staticInPod = k -> switch (k) {
            case "P2PDL_WORKER_DISCOVERY" -> "static";
            case "KUBERNETES_SERVICE_HOST" -> "10.96.0.1";
            default -> null;
        };
        assertThrows(WorkerArgs.UsageException.class, () -> WorkerArgs.parse(new String[0], NONE, staticInPod));
        UnaryOperator<String> bad = k -> k.equals("P2PDL_WORKER_DISCOVERY") ? "dns" : null;
        assertEquals("P2PDL_WORKER_DISCOVERY: discovery must be static or kubernetes, got 'dns'",
                assertThrows(WorkerArgs.UsageException.class, () -> WorkerArgs.parse(new String[0], NONE, bad))
                        .getMessage());
    }

    @Test
    void staticAndKubernetesFlagsDoNotMix() {
        assertEquals("--coordinator is for static discovery; drop it or use --discovery static",
                error("--discovery", "kubernetes", "--coordinator", "c:1"));
        assertEquals("--selector needs --discovery kubernetes", error("--coordinator", "c:1", "--selector", "a=b"));
        assertEquals("--namespace needs --discovery kubernetes",
                error("--discovery", "static", "--coordinator", "c:1", "--namespace", "ns"));
        assertEquals("--discovery: discovery must be static or kubernetes, got 'dns'", error("--discovery", "dns"));
        assertEquals("--selector must not be empty", error("--discovery", "kubernetes", "--selector", " "));
    }

    @Test
    void coordinatorsFromEnvironmentOrSystemPropertyAreEnough() throws Exception {
        UnaryOperator<String> env = k -> k.equals("P2PDL_WORKER_COORDINATORS") ? "c:7400" : null;
        assertEquals(Map.of(), WorkerArgs.parse(new String[0], NONE, env).properties());
        UnaryOperator<String> sys = k -> k.equals("p2pdl.worker.coordinators") ? "c:7400" : null;
        assertEquals(Map.of(), WorkerArgs.parse(new String[0], sys, NONE).properties());
    }

    @Test
    void badFlagsAreOneLineErrors() {
        assertEquals("unknown flag --verbose (see --help)", error("--coordinator", "c:1", "--verbose"));
        assertEquals("--concurrency needs a value", error("--coordinator", "c:1", "--concurrency"));
        assertEquals("--concurrency must be a number from 1 to 1024, got 'zero'",
                error("--coordinator", "c:1", "--concurrency", "zero"));
        assertEquals("--port must be a number from 0 to 65535, got '70000'", error("--coordinator", "c:1", "--port", "70000"));
        assertEquals("--coordinator nohost: expected host:port, got 'nohost'", error("--coordinator", "nohost"));
        assertEquals("--id must not be empty", error("--coordinator", "c:1", "--id", " "));
    }
}
