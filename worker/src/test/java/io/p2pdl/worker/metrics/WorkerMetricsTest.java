package io.p2pdl.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2pdl.proto.v1.FetchFailureKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    private double responses(String code, String cls) {
        return registry.get("p2pdl.worker.origin.responses").tag("code", code).tag("class", cls).counter().count();
    }

    @Test
    void originResponsesAreCountedByCodeAndClass() {
        metrics.originResponse(206);
        metrics.originResponse(206);
        metrics.originResponse(503);
        metrics.originResponse(404);
        metrics.originResponse(999);
        assertEquals(2, responses("206", "2xx"));
        assertEquals(1, responses("503", "5xx"));
        assertEquals(1, responses("404", "4xx"));
        assertEquals(1, responses("other", "other"), "out-of-range statuses share one series");
    }

    @Test
    void seriesThatRatiosDivideByExistBeforeTheFirstFetch() {
        assertEquals(0, responses("206", "2xx"));
        assertEquals(0, registry.get("p2pdl.worker.fetch.failures").tag("kind", "TRANSIENT").counter().count());
        assertEquals(0, registry.get("p2pdl.worker.chunk.duration").tag("outcome", "accepted").timer().count());
    }

    @Test
    void bytesFailuresAndChunkDurationsAreRecorded() {
        metrics.bytesFetched(1000);
        metrics.bytesFetched(24);
        metrics.bytesTransferred(1000);
        metrics.fetchFailed(FetchFailureKind.THROTTLED);
        metrics.chunkFinished("accepted", TimeUnit.MILLISECONDS.toNanos(300));
        metrics.chunkFinished("released", TimeUnit.SECONDS.toNanos(2));
        assertEquals(1024, registry.get("p2pdl.worker.fetched").counter().count());
        assertEquals(1000, registry.get("p2pdl.worker.transferred").counter().count());
        assertEquals(1, registry.get("p2pdl.worker.fetch.failures").tag("kind", "THROTTLED").counter().count());
        assertEquals(1, registry.get("p2pdl.worker.chunk.duration").tag("outcome", "accepted").timer().count());
        assertEquals(2.0, registry.get("p2pdl.worker.chunk.duration").tag("outcome", "released").timer()
                .totalTime(TimeUnit.SECONDS), 1e-9);
    }
}
