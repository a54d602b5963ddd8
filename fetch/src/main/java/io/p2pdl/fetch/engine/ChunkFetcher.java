package io.p2pdl.fetch.engine;

import io.grpc.StatusRuntimeException;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.TransferOutcome;
import io.p2pdl.proto.v1.TransferResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sees one lease through: attempts with exponential backoff (honouring Retry-After but never
 * past the lease's expiry), immediate release of fatal failures, release with the last failure
 * when attempts run out, and release with WORKER_STOPPING when drain time is up.
 */
final class ChunkFetcher {

    private static final Logger LOG = Logger.getLogger(ChunkFetcher.class);
    private static final Duration RELEASE_DEADLINE = Duration.ofSeconds(5);

    private final FetchEngineOptions options;
    private final RangeFetch rangeFetch;
    private final FetchListener listener;
    private final StopSignal stop;

    ChunkFetcher(FetchEngineOptions options, RangeFetch rangeFetch, FetchListener listener, StopSignal stop) {
        this.options = options;
        this.rangeFetch = rangeFetch;
        this.listener = listener;
        this.stop = stop;
    }

    /** Fetches, transfers or releases {@code lease}; returns when the lease is no longer ours. */
    void run(ChunkLease lease, CoordinatorLink link, ActiveFetch active) throws InterruptedException {
        long started = System.nanoTime();
        long leaseDeadline = leaseDeadlineNanos(lease, started);
        for (int attempt = 1; ; attempt++) {
            if (stop.stoppingHard()) {
                release(link, lease, stopping(), started);
                return;
            }
            active.clearIdleAbort();
            try {
                TransferResult result = rangeFetch.attempt(lease, link, active);
                String outcome = result.getOutcome() == TransferOutcome.DUPLICATE ? "duplicate" : "accepted";
                LOG.debugf("chunk %d of %s %s", lease.getChunkIndex(), lease.getDownloadId(), outcome);
                listener.chunkFinished(outcome, System.nanoTime() - started);
                return;
            } catch (TransferRejectedException e) {
                if (active.abortReason() == ActiveFetch.AbortReason.STOPPING) {
                    release(link, lease, stopping(), started);
                    return;
                }
                if (active.abortReason() == ActiveFetch.AbortReason.SLOW) {
                    releaseSlow(link, lease, started);
                    return;
                }
                // The coordinator decided (superseded, unknown lease, ...): the chunk is its business now.
                LOG.infof("coordinator refused chunk %d of %s: %s", lease.getChunkIndex(), lease.getDownloadId(),
                        e.getMessage());
                listener.chunkFinished("rejected", System.nanoTime() - started);
                return;
            } catch (FetchFailureException e) {
                if (active.abortReason() == ActiveFetch.AbortReason.STOPPING) {
                    release(link, lease, stopping(), started);
                    return;
                }
                if (active.abortReason() == ActiveFetch.AbortReason.SLOW) {
                    releaseSlow(link, lease, started);
                    return;
                }
                listener.fetchFailed(e.kind());
                Duration delay = retryDelay(e, attempt);
                boolean last = attempt >= options.fetchAttempts();
                boolean outlivesLease = System.nanoTime() + delay.toNanos() - leaseDeadline >= 0;
                if (e.fatal() || last || outlivesLease) {
                    release(link, lease, e, started);
                    return;
                }
                LOG.debugf("chunk %d of %s attempt %d failed (%s: %s); retrying in %d ms", lease.getChunkIndex(),
                        lease.getDownloadId(), attempt, e.kind(), shown(e), delay.toMillis());
                if (stop.retrySleep(delay)) {
                    release(link, lease, stopping(), started);
                    return;
                }
            } finally {
                active.detach();
            }
        }
    }

    /**
     * Gives a crawling chunk back at once instead of retrying here: the coordinator requeues it
     * (TRANSIENT, so it counts toward max-chunk-failures) and the next lease may go to a worker
     * with a better path to the origin.
     */
    private void releaseSlow(CoordinatorLink link, ChunkLease lease, long started) {
        listener.fetchFailed(FetchFailureKind.TRANSIENT);
        release(link, lease, new FetchFailureException(FetchFailureKind.TRANSIENT, 206, "origin sent fewer than "
                + options.lowestSpeed() + " bytes/s over " + options.lowestSpeedWindow().toMillis()
                + " ms (lowest-speed)"), started);
    }

    private static Duration retryDelay(FetchFailureException e, int attempt) {
        Duration backoff = Jitter.retryDelay(attempt);
        return e.retryAfter().compareTo(backoff) > 0 ? e.retryAfter() : backoff;
    }

    /**
     * The lease's end on this host's monotonic clock. The TTL from the time of receipt is used
     * when given, so clock skew between worker and coordinator does not matter.
     */
    private static long leaseDeadlineNanos(ChunkLease lease, long receivedNanos) {
        long ttlMs = lease.getTtlMs() > 0 ? lease.getTtlMs()
                : Math.max(0, lease.getExpiresAtUnixMs() - System.currentTimeMillis());
        return receivedNanos + TimeUnit.MILLISECONDS.toNanos(ttlMs);
    }

    /** The failure's message with any URL in it redacted (messages may quote a Location or an exception). */
    private String shown(FetchFailureException e) {
        return options.redactor().redactText(e.getMessage());
    }

    private static FetchFailureException stopping() {
        return new FetchFailureException(FetchFailureKind.WORKER_STOPPING, 0, "worker is stopping");
    }

    private void release(CoordinatorLink link, ChunkLease lease, FetchFailureException why, long started) {
        if (why.kind() == FetchFailureKind.WORKER_STOPPING) {
            LOG.infof("giving back chunk %d of %s: worker is stopping", lease.getChunkIndex(), lease.getDownloadId());
        } else {
            LOG.infof("releasing chunk %d of %s: %s (%s)", lease.getChunkIndex(), lease.getDownloadId(),
                    why.kind(), shown(why));
        }
        try {
            link.release(ReleaseChunkRequest.newBuilder()
                    .setLeaseId(lease.getLeaseId())
                    .setWorkerId(options.workerId())
                    .setFailure(why.toProto().toBuilder().setMessage(shown(why)))
                    .build(), RELEASE_DEADLINE);
        } catch (StatusRuntimeException e) {
            // The lease expires on its own; releasing only makes the requeue faster.
            LOG.debugf("release of chunk %d of %s failed: %s", lease.getChunkIndex(), lease.getDownloadId(),
                    e.getStatus());
        }
        listener.chunkFinished("released", System.nanoTime() - started);
    }
}
