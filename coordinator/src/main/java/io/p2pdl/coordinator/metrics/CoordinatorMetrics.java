package io.p2pdl.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.p2pdl.coordinator.download.TransferError;
import io.p2pdl.coordinator.download.TransferEvents;
import io.p2pdl.fetch.metrics.MeterConventions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's transfer counters and histograms ({@code p2pdl_coordinator_*}), fed by the
 * download service through {@link TransferEvents}. Every series exists from start-up (at zero),
 * so {@code rate()} and alerts see them before the first transfer.
 */
@Singleton
public class CoordinatorMetrics implements TransferEvents {

    /** Window of {@code p2pdl_coordinator_workers_seen}. */
    static final Duration WORKER_WINDOW = Duration.ofMinutes(1);

    private final Counter bytesWritten;
    private final Counter accepted;
    private final Counter duplicate;
    private final Map<TransferError, Counter> rejected = new EnumMap<>(TransferError.class);
    private final Timer transferDuration;
    private final Timer downloadDuration;
    private final RecentWorkers workers = new RecentWorkers(WORKER_WINDOW.toNanos(), System::nanoTime);

    CoordinatorMetrics(MeterRegistry registry) {
        bytesWritten = Counter.builder("p2pdl.coordinator.written").baseUnit("bytes")
                .description("Bytes of chunk transfers written into .part files").register(registry);
        accepted = received(registry, "accepted");
        duplicate = received(registry, "duplicate");
        for (TransferError e : TransferError.values()) {
            rejected.put(e, Counter.builder("p2pdl.coordinator.chunks.rejected").tag("reason", e.name())
                    .description("Chunk transfers refused, by reason code").register(registry));
        }
        transferDuration = Timer.builder("p2pdl.coordinator.chunk.transfer.duration")
                .description("Time from a transfer's header to its verified trailer")
                .serviceLevelObjectives(MeterConventions.CHUNK_BUCKETS)
                .register(registry);
        downloadDuration = Timer.builder("p2pdl.coordinator.download.duration")
                .description("Running time of completed downloads (paused time excluded)")
                .serviceLevelObjectives(MeterConventions.seconds(1, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 86400))
                .register(registry);
        Gauge.builder("p2pdl.coordinator.workers.seen", workers, RecentWorkers::count).strongReference(true)
                .description("Distinct workers that asked for work in the last minute").register(registry);
    }

    private static Counter received(MeterRegistry registry, String outcome) {
        return Counter.builder("p2pdl.coordinator.chunks.received").tag("outcome", outcome)
                .description("Verified chunk transfers: accepted (written) or duplicate (dropped)").register(registry);
    }


    @Override
    public void workerSeen(String workerId) {
        workers.seen(workerId);
    }

    @Override
    public void bytesWritten(long n) {
        bytesWritten.increment(n);
    }

    @Override
    public void chunkReceived(boolean wasAccepted, long nanos) {
        (wasAccepted ? accepted : duplicate).increment();
        transferDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void chunkRejected(TransferError reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void downloadCompleted(long activeMs) {
        downloadDuration.record(activeMs, TimeUnit.MILLISECONDS);
    }
}
