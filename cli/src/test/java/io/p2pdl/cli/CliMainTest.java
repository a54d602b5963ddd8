package io.p2pdl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The packaged Quarkus application: CDI wiring of commands and the CLI's conventions (not just plain picocli). */
@QuarkusMainTest
class CliMainTest {

    @Test
    @Launch({"--help"})
    void helpListsEveryCommand(LaunchResult result) {
        for (String command : new String[] {"get", "submit", "status", "list", "watch", "cancel", "pause", "resume",
                "coordinator", "worker"}) {
            assertTrue(result.getOutput().contains("  " + command + " "), command + " missing in " + result.getOutput());
        }
        assertTrue(result.getOutput().contains("Exit codes:"));
    }

    @Test
    @Launch(value = {"submit", "http://o/f", "--chunk-size", "12Q"}, exitCode = ExitCodes.USAGE)
    void badFlagIsOneLineAndExitTwo(LaunchResult result) {
        assertEquals(1, result.getErrorStream().size(), result.getErrorOutput());
        assertTrue(result.getErrorOutput().startsWith("p2pdl: Invalid value for option '--chunk-size'"), result.getErrorOutput());
    }

    @Test
    @Launch(value = {"list", "--coordinator", "127.0.0.1:1"}, exitCode = ExitCodes.UNREACHABLE)
    void unreachableCoordinatorIsExitThree(LaunchResult result) {
        assertTrue(result.getErrorOutput().startsWith("p2pdl: cannot reach the coordinator at 127.0.0.1:1"),
                result.getErrorOutput());
    }

    @Test
    @Launch({"--version"})
    void versionComesFromTheBuild(LaunchResult result) {
        assertTrue(result.getOutput().matches("p2pdl \\d+\\.\\d+\\.\\d+.*"), result.getOutput());
    }
}
