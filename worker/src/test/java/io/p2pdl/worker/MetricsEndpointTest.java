package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /q/metrics} of a running worker exports the p2pdl_worker_* families in Prometheus form. */
@QuarkusTest
class MetricsEndpointTest {

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void workerFamiliesAreExportedWithPrometheusNames() throws Exception {
        HttpResponse<String> r = HealthTest.get(metrics);
        assertEquals(200, r.statusCode());
        // Label order within braces is the registry's business: match each series by pattern.
        for (String series : List.of("p2pdl_worker_fetched_bytes_total ", "p2pdl_worker_transferred_bytes_total ",
                "p2pdl_worker_origin_responses_total\\{(?=[^}]*class=\"2xx\")(?=[^}]*code=\"206\")[^}]*\\} ",
                "p2pdl_worker_fetch_failures_total\\{kind=\"TRANSIENT\",?\\} ",
                "p2pdl_worker_chunk_duration_seconds_bucket\\{(?=[^}]*outcome=\"accepted\")(?=[^}]*le=\"1.0\")[^}]*\\} ",
                "p2pdl_worker_chunks_in_flight ", "p2pdl_worker_coordinators ")) {
            assertTrue(Pattern.compile("(?m)^" + series).matcher(r.body()).find(), "missing " + series);
        }
        assertTrue(r.body().contains("p2pdl_worker_coordinators 0.0"), "no coordinator is configured here");
    }
}
