package io.p2pdl.cli.command;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.DownloadsApi;
import io.p2pdl.cli.client.FailureReasons;
import io.p2pdl.cli.progress.DownloadProgress;
import io.p2pdl.cli.progress.ProgressMode;
import io.p2pdl.cli.progress.ProgressRenderer;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * Follows one download to its end through the coordinator's Watch stream, feeding each snapshot to a
 * {@link ProgressRenderer}. Shared by {@code watch}, {@code submit --wait} and {@code get}.
 *
 * <p>A Job that waits for a large download must survive a coordinator restart (its state is durable),
 * so once the coordinator has answered, a broken stream is re-opened until it has been unreachable for
 * {@link #RECONNECT_FOR}. A coordinator that never answered fails the command at once (exit 3).
 */
public final class DownloadFollower {

    /** How long the coordinator may stay unreachable mid-download before giving up. */
    static final Duration RECONNECT_FOR = Duration.ofSeconds(60);

    private final DownloadsApi client;
    private final ProgressMode mode;
    private final PrintWriter out;
    private final LongSupplier clockMillis;
    private final Duration retryDelay;
    private Runnable healthCheck = () -> { };

    /** A follower that renders in the (resolved) {@code mode} to {@code out}. */
    public DownloadFollower(DownloadsApi client, ProgressMode mode, PrintWriter out) {
        this(client, mode, out, () -> System.nanoTime() / 1_000_000, Duration.ofSeconds(1));
    }

    DownloadFollower(DownloadsApi client, ProgressMode mode, PrintWriter out, LongSupplier clockMillis,
            Duration retryDelay) {
        this.client = client;
        this.mode = mode;
        this.out = out;
        this.clockMillis = clockMillis;
        this.retryDelay = retryDelay;
    }

    /**
     * Sets a check run before each reconnect attempt; it throws a {@link CliFailure} to give up at once,
     * e.g. when {@code get}'s own coordinator process has died and waiting would be pointless.
     */
    public DownloadFollower withHealthCheck(Runnable check) {
        this.healthCheck = check;
        return this;
    }

    /** Blocks until download {@code id} is COMPLETED or FAILED and returns its final status. */
    public Download follow(String id) throws InterruptedException {
        ProgressRenderer renderer = mode.newRenderer();
        long lastContact = clockMillis.getAsLong();
        while (true) {
            try {
                Iterator<Download> stream = client.watch(id, mode.pollInterval());
                while (stream.hasNext()) {
                    Download snapshot = stream.next();
                    lastContact = clockMillis.getAsLong();
                    write(renderer.update(lastContact, snapshot));
                    if (DownloadProgress.isTerminal(snapshot)) {
                        write(renderer.finish(lastContact, snapshot));
                        return snapshot;
                    }
                }
                // The stream ended without a terminal state (coordinator shutting down): ask once, then re-watch.
                Download now = client.get(id);
                lastContact = clockMillis.getAsLong();
                if (DownloadProgress.isTerminal(now)) {
                    write(renderer.finish(lastContact, now));
                    return now;
                }
            } catch (StatusRuntimeException e) {
                if (!retryable(e) || !client.hasAnswered()
                        || clockMillis.getAsLong() - lastContact >= RECONNECT_FOR.toMillis()) {
                    throw client.failure("watch " + id, e);
                }
            } catch (CliFailure e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || !client.hasAnswered()
                        || clockMillis.getAsLong() - lastContact >= RECONNECT_FOR.toMillis()) {
                    throw e;
                }
            }
            healthCheck.run();
            Thread.sleep(retryDelay.toMillis());
        }
    }

    /**
     * The exit code a follower's caller ends with: 0 for COMPLETED; a FAILED download is reported
     * as a {@link CliFailure} with exit 1 and one line naming the reason.
     */
    public static int outcome(Download last) {
        if (last.getState() == DownloadState.COMPLETED) {
            return ExitCodes.OK;
        }
        throw new CliFailure(ExitCodes.FAILED, "download " + DownloadProgress.name(last) + " failed: "
                + FailureReasons.sentence(last.getFailureReason().name(), last.getMessage()));
    }

    private static boolean retryable(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        return (code == Status.Code.UNAVAILABLE && FailureReasons.split(e.getStatus().getDescription()).isEmpty())
                || code == Status.Code.INTERNAL && isRstStream(e);
    }

    /** A coordinator killed mid-stream often surfaces as INTERNAL "RST_STREAM" rather than UNAVAILABLE. */
    private static boolean isRstStream(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        return description != null && description.contains("RST_STREAM");
    }

    private void write(String text) {
        if (!text.isEmpty()) {
            out.print(text);
            out.flush();
        }
    }
}
