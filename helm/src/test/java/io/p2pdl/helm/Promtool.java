package io.p2pdl.helm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code promtool} (Debian package {@code prometheus}; {@code .ci/run} installs it).
 * Without it a test fails on CI ({@code CI=true}) and is skipped elsewhere, saying why.
 */
final class Promtool {

    /** What one run printed and how it ended. */
    record Run(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    /** The promtool binary, or a failed (CI) / skipped (elsewhere) test when it is missing. */
    static Path require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String why = "promtool is not installed (Debian: apt-get install prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + ", and CI=true: the rule and dashboard checks must run on CI");
        }
        Assumptions.abort(why + "; skipped outside CI");
        throw new IllegalStateException("unreachable");
    }

    /** {@code promtool ARGS} in {@code dir}, stdout and stderr together. */
    static Run run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require().toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("promtool did not finish: " + cmd);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
