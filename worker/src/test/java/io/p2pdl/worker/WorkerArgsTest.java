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
    void helpWinsOverEverythingElse() throws Exception {
        assertTrue(parse("--port", "1", "--help").help());
    }

    @Test
    void noCoordinatorAnywhereIsAnError() {
        assertEquals("no coordinator given: use --coordinator HOST:PORT or set P2PDL_WORKER_COORDINATORS", error());
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
