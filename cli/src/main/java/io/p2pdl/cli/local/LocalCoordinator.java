package io.p2pdl.cli.local;

import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.client.DownloadsApi;
import java.time.Duration;

/**
 * The private coordinator of one {@code p2pdl get}: in the CLI's own JVM ({@link InJvmCoordinator}),
 * or as child processes when extra workers were asked for ({@link LocalCluster}). {@link #stop()} is
 * idempotent and safe from a shutdown hook, and leaves the state directory resumable.
 */
interface LocalCoordinator {

    /** The admin calls of this coordinator. */
    DownloadsApi api();

    /**
     * Waits until the coordinator answers.
     *
     * @throws CliFailure when it died first or {@code timeout} passed
     */
    void awaitReady(Duration timeout) throws InterruptedException;

    /** Throws a {@link CliFailure} naming the part that died, if one did; waiting on it would be pointless. */
    void failIfAnyDied();

    /** Stops everything, persisting the state so the same command resumes. */
    void stop();
}
