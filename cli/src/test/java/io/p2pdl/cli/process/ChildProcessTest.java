package io.p2pdl.cli.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void lastLogLineSkipsTrailingBlankLines() throws Exception {
        Path log = dir.resolve("x.log");
        Files.writeString(log, "starting\nERROR bind failed: address in use\n\n  \n");
        assertEquals(Optional.of("ERROR bind failed: address in use"), ChildProcess.lastLine(log));
        assertEquals(Optional.empty(), ChildProcess.lastLine(dir.resolve("missing.log")));
    }

    @Test
    void outputGoesToTheLogFile() throws Exception {
        ChildProcess child = ChildProcess.start("echo", List.of("sh", "-c", "echo hello; echo world >&2"), dir.resolve("logs/e.log"));
        child.awaitStop(Duration.ofSeconds(30));
        assertEquals(0, child.exitValue());
        assertEquals(Optional.of("world"), child.lastLogLine());
    }

    @Test
    void inheritedVariablesCanBeLeftOut() throws Exception {
        // HOME is inherited from the test JVM; get's cluster leaves out P2PDL_TLS_* the same way.
        ChildProcess child = ChildProcess.start("env", List.of("sh", "-c", "echo ${HOME:-unset} $EXTRA"),
                dir.resolve("env.log"), java.util.Map.of("EXTRA", "added"), name -> name.equals("HOME"));
        child.awaitStop(Duration.ofSeconds(30));
        assertEquals(Optional.of("unset added"), child.lastLogLine());
    }

    @Test
    void stopSendsTermAndTheChildExitsOnItsOwn() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of("sleep", "60"), dir.resolve("s.log"));
        child.requestStop();
        assertTrue(child.awaitStop(Duration.ofSeconds(30)));
        assertFalse(child.isAlive());
    }

    @Test
    void childIgnoringTermIsKilledAfterTheGracePeriod() throws Exception {
        Path ready = dir.resolve("ready");
        ChildProcess child = ChildProcess.start("stubborn",
                List.of("sh", "-c", "trap '' TERM; touch " + ready + "; while true; do sleep 1; done"), dir.resolve("t.log"));
        while (!Files.exists(ready)) {
            Thread.sleep(20); // the trap must be installed before we signal
        }
        child.requestStop();
        assertFalse(child.awaitStop(Duration.ofMillis(200)));
        assertFalse(child.isAlive());
    }
}
