package io.p2pdl.cli.client;

import io.grpc.StatusRuntimeException;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * The admin calls the CLI makes of a coordinator: over gRPC ({@link CoordinatorClient}) or, for
 * {@code p2pdl get}, straight into a coordinator core running in the CLI's own JVM. Errors leave as
 * {@link CliFailure} with the exit code already decided, alike for both.
 */
public interface DownloadsApi {

    /** Submits a download; the coordinator probes the origin before answering. */
    Download submit(SubmitRequest request);

    /** One download's status. */
    Download get(String id);

    /** All downloads, newest first. */
    List<Download> list();

    /** Resumes a paused download or retries a resumable failed one. */
    Download resume(String id);

    /**
     * Follows a download: a status every {@code interval} and at its end, ending with the terminal
     * state. Errors while iterating are {@link StatusRuntimeException}s; pass them to
     * {@link #failure(String, StatusRuntimeException)}.
     */
    Iterator<Download> watch(String id, Duration interval);

    /** True once the coordinator has answered any call (one that never did is unreachable). */
    boolean hasAnswered();

    /** The failure to report for an error of a call described by {@code action}. */
    CliFailure failure(String action, StatusRuntimeException e);
}
