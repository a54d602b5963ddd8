package io.p2pdl.cli.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service JVM started by the CLI, with its output going to a log file. Stopping sends SIGTERM first
 * so the service can persist its state (that is what makes re-running {@code get} resume), and kills
 * only when it does not exit within the grace period.
 */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log} and stdin closed. */
    public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        return start(name, command, log, java.util.Map.of());
    }

    /** As {@link #start(String, List, Path)}, with {@code env} added to the inherited environment. */
    public static ChildProcess start(String name, List<String> command, Path log, java.util.Map<String, String> env)
            throws IOException {
        return start(name, command, log, env, variable -> false);
    }

    /**
     * As {@link #start(String, List, Path, java.util.Map)}, without the inherited variables that
     * {@code unset} accepts.
     */
    public static ChildProcess start(String name, List<String> command, Path log, java.util.Map<String, String> env,
            java.util.function.Predicate<String> unset) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(unset);
        builder.environment().putAll(env);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
        return new ChildProcess(name, process, log);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Short name for messages, e.g. {@code coordinator} or {@code worker-2}. */
    public String name() {
        return name;
    }

    /** The log file. */
    public Path log() {
        return log;
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The process id, for messages. */
    public long pid() {
        return process.pid();
    }

    /** Asks the process to stop (SIGTERM) without waiting. */
    public void requestStop() {
        process.destroy();
    }

    /**
     * Waits up to {@code grace} for an exit after {@link #requestStop()}, then kills it.
     *
     * @return true if it exited on its own within the grace period
     */
    public boolean awaitStop(Duration grace) {
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The last non-blank line of the log, for a one-line error when the child died. */
    public Optional<String> lastLogLine() {
        return lastLine(log);
    }

    /** The last non-blank line of {@code file}, reading at most its final 64 KiB. */
    static Optional<String> lastLine(Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - 65_536);
            byte[] tail = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\\R");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) {
                    return Optional.of(lines[i].strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
