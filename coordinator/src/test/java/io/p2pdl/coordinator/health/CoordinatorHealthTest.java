package io.p2pdl.coordinator.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.testing.GrpcTestPort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The probes of a running coordinator: storage readiness with its numbers, plain liveness. */
@QuarkusTest
@WithTestResource(value = GrpcTestPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CoordinatorHealthTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    private static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyWhenStateIsWritableAndSpaceIsAboveTheThreshold() throws Exception {
        HttpResponse<String> r = get(ready);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"name\": \"storage\""), r.body());
        assertTrue(r.body().contains("\"minFreeBytes\": 67108864"), "default threshold 64M: " + r.body());
    }

    @Test
    void aliveWhileTheProcessAnswers() throws Exception {
        HttpResponse<String> r = get(live);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"name\": \"coordinator\""), r.body());
    }
}
