package io.p2pdl.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class CoordinatorAddressTest {

    @Test
    void flagWinsOverEnvironmentWhichWinsOverDefault() {
        var env = new CliRunner().env(CoordinatorAddress.ENV, "coord.ns.svc:9000").environment();
        assertEquals("flag:1", CoordinatorAddress.resolve("flag:1", env).target());
        assertEquals("coord.ns.svc:9000", CoordinatorAddress.resolve(null, env).target());
        assertEquals("127.0.0.1:7400", CoordinatorAddress.resolve(null, new CliRunner().environment()).target());
    }

    @Test
    void bareHostUsesTheDefaultPortAndIpv6NeedsBrackets() {
        assertEquals(new CoordinatorAddress("coordinator", 7400), CoordinatorAddress.parse("coordinator"));
        assertEquals(new CoordinatorAddress("::1", 7401), CoordinatorAddress.parse("[::1]:7401"));
        assertEquals("[::1]:7401", CoordinatorAddress.parse("[::1]:7401").target());
    }

    @Test
    void malformedAddressesAreUsageErrors() {
        for (String bad : new String[] {"host:", "host:0", "host:70000", "host:http", ":7400", "::1:7400", "[::1", "a b:1"}) {
            CliFailure e = assertThrows(CliFailure.class, () -> CoordinatorAddress.parse(bad), bad);
            assertEquals(ExitCodes.USAGE, e.exitCode());
        }
    }
}
