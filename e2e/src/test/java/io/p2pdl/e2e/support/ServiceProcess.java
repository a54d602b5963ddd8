package io.p2pdl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM with its output in a log file. {@link #kill()} is SIGTERM, {@link #killHard()} is
 * SIGKILL on Linux ({@code destroyForcibly}) and takes the child's own children along, so a CLI that
 * started services leaves no orphans. A shutdown hook kills whatever a crashed test run left.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ServiceProcess::killHard), "e2e-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code workDir} with stdin closed; stdout goes to {@code log}, stderr
     * too when {@code stderr} is null.
     */
    public static ServiceProcess start(String name, List<String> command, Path workDir, Path log, Path stderr) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(log.toFile());
            // Every child of a test belongs to one installation: the same worker and admin tokens.
            pb.environment().putAll(Tokens.ENV);
            if (stderr == null) {
                pb.redirectErrorStream(true);
            } else {
                pb.redirectError(stderr.toFile());
            }
            Files.writeString(log, "");
            ServiceProcess p = new ServiceProcess(name, pb.start(), log);
            LIVE.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** The child's process id (for /proc and jcmd). */
    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code GET /q/health/ready} on loopback answers 200; fails at once if the child exits. */
    public ServiceProcess awaitReady(int port, Duration timeout) {
        return awaitReady("127.0.0.1", port, timeout);
    }

    /** Like {@link #awaitReady(int, Duration)} for a child listening on {@code host}. */
    public ServiceProcess awaitReady(String host, int port, Duration timeout) {
        return awaitReady(host, port, timeout, HTTP, "http");
    }

    /** As {@link #awaitReady(int, Duration)}, over HTTPS with {@code https} (which trusts the test CA). */
    public ServiceProcess awaitReadyHttps(int port, Duration timeout, HttpClient https) {
        return awaitReady("127.0.0.1", port, timeout, https, "https");
    }

    private ServiceProcess awaitReady(String host, int port, Duration timeout, HttpClient client, String scheme) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Await.until(name + " ready on port " + port, timeout, () -> {
            failIfExited();
            try {
                return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        return this;
    }

    /** Waits until something accepts TCP connections on loopback {@code port}. */
    public ServiceProcess awaitPort(int port, Duration timeout) {
        Await.until(name + " listening on port " + port, timeout, () -> {
            failIfExited();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Waits for the child to exit by itself and returns its exit code; kills it after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killHard();
                throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s (killed); log "
                        + log + ":\n" + tail(30));
            }
            LIVE.remove(this);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killHard();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
    }

    /** SIGTERM, then up to 40 s for a clean stop before SIGKILL. */
    public void kill() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                killHard();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killHard();
        }
        LIVE.remove(this);
    }

    /** SIGKILL for the child and everything it started; returns once it is gone. */
    public void killHard() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            LIVE.remove(this);
            throw new AssertionError(name + " exited with code " + process.exitValue() + "; log " + log + ":\n"
                    + tail(40));
        }
    }

    /** Kills the child hard if it is still running. */
    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            killHard();
        }
        LIVE.remove(this);
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
