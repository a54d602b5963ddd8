package io.p2pdl.fetch.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoordinatorTargetTest {

    @Test
    void parsesHostPortAndPrintsItBack() {
        CoordinatorTarget t = CoordinatorTarget.parse("coord-0.coord:7400");
        assertEquals(new CoordinatorTarget("coord-0.coord", 7400), t);
        assertEquals("coord-0.coord:7400", t.toString());
    }

    @Test
    void ipv6NeedsBracketsAndKeepsThemInToString() {
        CoordinatorTarget t = CoordinatorTarget.parse("[::1]:7400");
        assertEquals("::1", t.host());
        assertEquals("[::1]:7400", t.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", ":7400", "host:abc", "host:0", "host:70000", "::1:7400", "[::1]"})
    void malformedTargetsAreRejected(String value) {
        assertThrows(IllegalArgumentException.class, () -> CoordinatorTarget.parse(value));
    }

    @Test
    void staticDiscoveryDropsDuplicatesAndBlanks() {
        StaticDiscovery d = StaticDiscovery.of(List.of("a:1", " ", "b:2", "a:1"));
        assertEquals(List.of(new CoordinatorTarget("a", 1), new CoordinatorTarget("b", 2)), d.coordinators());
    }
}
