package io.p2pdl.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.p2pdl.fetch.engine.FetchListener;
import io.p2pdl.fetch.metrics.MeterConventions;
import io.p2pdl.proto.v1.FetchFailureKind;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The worker's fetch metrics ({@code p2pdl_worker_*}), fed by the fetch engine as its
 * {@link FetchListener}. Series that alerts and dashboards divide by exist from start-up at zero.
 */
@Singleton
public class WorkerMetrics implements FetchListener {

    /** Outcomes of {@link #chunkFinished}, as the engine names them. */
    static final List<String> OUTCOMES = List.of("accepted", "duplicate", "rejected", "released");

    private final MeterRegistry registry;
    private final Counter fetched;
    private final Counter transferred;
    private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();
    private final Map<FetchFailureKind, Counter> failures = new EnumMap<>(FetchFailureKind.class);
    private final Map<String, Timer> chunks = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        fetched = Counter.builder("p2pdl.worker.fetched").baseUnit("bytes")
                .description("Body bytes read from origins").register(registry);
        transferred = Counter.builder("p2pdl.worker.transferred").baseUnit("bytes")
                .description("Bytes sent to coordinators in chunk transfers").register(registry);
        for (FetchFailureKind kind : FetchFailureKind.values()) {
            if (kind != FetchFailureKind.UNRECOGNIZED && kind.getNumber() != 0) {
                failures.put(kind, failureCounter(kind));
            }
        }
        response(206);
        for (String outcome : OUTCOMES) {
            chunkTimer(outcome);
        }
    }

    private Counter failureCounter(FetchFailureKind kind) {
        return Counter.builder("p2pdl.worker.fetch.failures").tag("kind", kind.name())
                .description("Failed fetch attempts, by failure kind (retried or released afterwards)")
                .register(registry);
    }

    /** The status class label of an HTTP status: {@code 2xx}, ..., {@code 5xx}, or {@code other}. */
    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
    }

    private Counter response(int status) {
        // HTTP statuses are a small closed set; anything outside 100..599 shares one series.
        int key = status >= 100 && status < 600 ? status : 0;
        return responses.computeIfAbsent(key, s -> Counter.builder("p2pdl.worker.origin.responses")
                .tag("code", s == 0 ? "other" : Integer.toString(s)).tag("class", statusClass(s))
                .description("Origin responses to range requests, by status code and class").register(registry));
    }

    private Timer chunkTimer(String outcome) {
        return chunks.computeIfAbsent(outcome, o -> Timer.builder("p2pdl.worker.chunk.duration").tag("outcome", o)
                .description("Time from receiving a lease to its end (transfer result or release), by outcome")
                .serviceLevelObjectives(MeterConventions.CHUNK_BUCKETS)
                .register(registry));
    }


    @Override
    public void originResponse(int status) {
        response(status).increment();
    }

    @Override
    public void bytesFetched(long n) {
        fetched.increment(n);
    }

    @Override
    public void bytesTransferred(long n) {
        transferred.increment(n);
    }

    @Override
    public void chunkFinished(String outcome, long nanos) {
        chunkTimer(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void fetchFailed(FetchFailureKind kind) {
        Counter c = failures.get(kind);
        if (c != null) {
            c.increment();
        }
    }
}
