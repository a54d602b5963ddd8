package io.p2pdl.worker.discovery;

import static io.p2pdl.worker.discovery.DiscoveryMode.KUBERNETES;
import static io.p2pdl.worker.discovery.DiscoveryMode.STATIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DiscoveryModeChoiceTest {

    private static final UnaryOperator<String> IN_POD = k -> k.equals("KUBERNETES_SERVICE_HOST") ? "10.96.0.1" : null;
    private static final UnaryOperator<String> OUTSIDE = k -> null;

    @Test
    void insideAPodWithoutStaticCoordinatorsIsKubernetes() {
        assertEquals(KUBERNETES, DiscoveryModeChoice.choose(Optional.empty(), false, IN_POD));
    }

    @Test
    void staticCoordinatorsKeepStaticModeEvenInsideAPod() {
        assertEquals(STATIC, DiscoveryModeChoice.choose(Optional.empty(), true, IN_POD));
    }

    @Test
    void outsideAPodIsStatic() {
        assertEquals(STATIC, DiscoveryModeChoice.choose(Optional.empty(), false, OUTSIDE));
        assertEquals(STATIC, DiscoveryModeChoice.choose(Optional.empty(), false, k -> " "));
    }

    @Test
    void configuredModeAlwaysWins() {
        assertEquals(STATIC, DiscoveryModeChoice.choose(Optional.of(STATIC), false, IN_POD));
        assertEquals(KUBERNETES, DiscoveryModeChoice.choose(Optional.of(KUBERNETES), true, OUTSIDE));
    }

    @Test
    void modesParseInAnyCaseAndPrintLowerCase() {
        assertEquals(KUBERNETES, DiscoveryMode.parse(" Kubernetes "));
        assertEquals(STATIC, DiscoveryMode.parse("static"));
        assertEquals("kubernetes", KUBERNETES.configValue());
        assertEquals("discovery must be static or kubernetes, got 'dns'",
                assertThrows(IllegalArgumentException.class, () -> DiscoveryMode.parse("dns")).getMessage());
    }
}
