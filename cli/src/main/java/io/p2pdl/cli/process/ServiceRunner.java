package io.p2pdl.cli.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a service JVM in the foreground for {@code p2pdl coordinator|worker} when the CLI is used without
 * the launcher (which would exec the service directly): the child shares our terminal, Ctrl-C or
 * SIGTERM to the CLI is forwarded by stopping the child, and the CLI exits with the child's code.
 */
public final class ServiceRunner {

    /** How long a stopping service may take to persist its state before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private ServiceRunner() {
    }

    /** Runs {@code command} to completion and returns its exit code. */
    public static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        Thread forwardStop = new Thread(() -> stop(process), "p2pdl-stop-child");
        Runtime.getRuntime().addShutdownHook(forwardStop);
        try {
            return process.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forwardStop);
            } catch (IllegalStateException e) {
                // JVM already shutting down: the hook is running and stops the child.
            }
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
