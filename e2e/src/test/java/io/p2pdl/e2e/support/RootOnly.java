package io.p2pdl.e2e.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need root (mounts, network namespaces): skipped elsewhere with a clear message, but
 * failed under {@code CI=true}, because CI runs as root and a skip there would hide a broken test.
 * Also runs the root-only commands.
 */
public final class RootOnly {

    private RootOnly() {
    }

    /** Skips (or under CI fails) the calling test unless this JVM runs as root. */
    public static void require(String what) {
        if (isRoot()) {
            return;
        }
        String why = what + " needs root (uid 0); this JVM runs as uid " + uid();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + ", and CI=true: CI runs as root, so this must not be skipped");
        }
        Assumptions.abort(why + ": skipped");
    }

    private static boolean isRoot() {
        return uid() == 0;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** Runs {@code command} and fails the test with its output when it exits non-zero. */
    public static String run(String... command) {
        String out = runQuietly(command);
        if (out.startsWith("!")) {
            throw new AssertionError("`" + String.join(" ", command) + "` failed: " + out.substring(1));
        }
        return out;
    }

    /**
     * Runs {@code command}, returning its output, prefixed with {@code !} when it failed (for
     * cleanups, which must go on).
     */
    public static String runQuietly(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "!timed out: " + out;
            }
            return p.exitValue() == 0 ? out : "!exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return "!" + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "!interrupted";
        }
    }
}
