package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One configured coordinator (reachable or not) makes the worker ready. */
@QuarkusTest
@TestProfile(HealthWithCoordinatorTest.OneCoordinator.class)
class HealthWithCoordinatorTest {

    /** Points at a closed loopback port: readiness is about knowing a coordinator. */
    public static class OneCoordinator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("p2pdl.worker.coordinators", "127.0.0.1:1", "p2pdl.worker.id", "test-worker");
        }
    }

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void readyWithOneCoordinator() throws Exception {
        HttpResponse<String> r = HealthTest.get(ready);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"known\": 1"), r.body());
    }
}
