package io.p2pdl.coordinator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorArgsTest {

    @Test
    void flagsBecomeConfigurationProperties() throws Exception {
        CoordinatorArgs a = CoordinatorArgs.parse(new String[] {"--bind", "127.0.0.1", "--port=7500", "--http-port",
            "7501", "--data-dir", "/d", "--state-dir", "/s", "--embedded-workers", "0", "--node-name", "c-1"});
        assertEquals(Map.of("quarkus.grpc.server.host", "127.0.0.1", "quarkus.http.host", "127.0.0.1",
                "quarkus.grpc.server.port", "7500", "quarkus.http.port", "7501",
                "p2pdl.coordinator.data-dir", "/d", "p2pdl.coordinator.state-dir", "/s",
                "p2pdl.coordinator.embedded-workers", "0", "p2pdl.coordinator.node-name", "c-1"), a.properties());
    }

    @Test
    void grpcAndHttpNeedTwoPorts() throws Exception {
        assertEquals("--port and --http-port must differ (gRPC and HTTP each need a port), got 7500 for both",
                usage("--port", "7500", "--http-port", "7500"));
        assertEquals("--port 7402 is the default --http-port (health and metrics); give --http-port another port",
                usage("--port", "7402"));
        assertEquals(Map.of("quarkus.grpc.server.port", "0", "quarkus.http.port", "0"),
                CoordinatorArgs.parse(new String[] {"--port", "0", "--http-port", "0"}).properties());
        assertEquals(Map.of("quarkus.grpc.server.port", "7402", "quarkus.http.port", "7400"),
                CoordinatorArgs.parse(new String[] {"--port", "7402", "--http-port", "7400"}).properties());
        assertEquals("--http-port must be a number from 0 to 65535, got 'x'", usage("--http-port", "x"));
    }

    @Test
    void peersAccumulateIntoStaticDiscovery() throws Exception {
        CoordinatorArgs a = CoordinatorArgs.parse(new String[] {"--peer", "a:7400", "--peer=b:7401"});
        assertEquals("a:7400,b:7401", a.properties().get("p2pdl.coordinator.peers.addresses"));
        assertEquals("static", a.properties().get("p2pdl.coordinator.peers.discovery"));
        assertTrue(usage("--peer", "nohostport:x").startsWith("--peer nohostport:x: "));
    }

    @Test
    void allowedOriginCidrsAccumulateInNormalForm() throws Exception {
        CoordinatorArgs a = CoordinatorArgs.parse(new String[] {"--allow-origin-cidr", "10.1.2.3/8",
            "--allow-origin-cidr=::1"});
        assertEquals("10.0.0.0/8,::1/128", a.properties().get("p2pdl.coordinator.origins.allowed-cidrs"));
        assertEquals("--allow-origin-cidr: '10.0.0.0/40' is not a CIDR: prefix length 40 is outside 0..32",
                usage("--allow-origin-cidr", "10.0.0.0/40"));
    }

    @Test
    void tlsFlagsBecomeTheSharedTlsKeys() throws Exception {
        CoordinatorArgs a = CoordinatorArgs.parse(new String[] {"--tls-cert", "/t/tls.crt", "--tls-key=/t/tls.key",
            "--tls-ca", "/t/ca.crt", "--tls-server-name", "p2pdl-coordinator.p2pdl.svc"});
        assertEquals(Map.of("p2pdl.tls.cert-file", "/t/tls.crt", "p2pdl.tls.key-file", "/t/tls.key",
                "p2pdl.tls.ca-file", "/t/ca.crt", "p2pdl.tls.server-name", "p2pdl-coordinator.p2pdl.svc"), a.properties());
        assertEquals("--tls-cert must not be empty", usage("--tls-cert", " "));
    }

    @Test
    void helpWinsOverEverything() throws Exception {
        assertTrue(CoordinatorArgs.parse(new String[] {"--port", "1", "--help"}).help());
    }

    @Test
    void badFlagsGiveOneLineReasons() {
        assertEquals("unknown flag --prot (see --help)", usage("--prot", "1"));
        assertEquals("--port needs a value", usage("--port"));
        assertEquals("--port must be a number from 0 to 65535, got '70000'", usage("--port", "70000"));
        assertEquals("--embedded-workers must be a number from 0 to 64, got '-1'", usage("--embedded-workers", "-1"));
        assertTrue(usage("--node-name", "a b").startsWith("--node-name must be letters"));
        assertEquals("--data-dir must not be empty", usage("--data-dir", " "));
    }

    private static String usage(String... args) {
        return assertThrows(CoordinatorArgs.UsageException.class, () -> CoordinatorArgs.parse(args)).getMessage();
    }
}
