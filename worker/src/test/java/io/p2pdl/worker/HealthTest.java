package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Without coordinators the worker is alive but not ready. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void notReadyWithoutCoordinators() throws Exception {
        HttpResponse<String> r = get(ready);
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("\"status\": \"DOWN\""), r.body());
    }

    @Test
    void aliveWithoutCoordinators() throws Exception {
        assertEquals(200, get(live).statusCode());
    }
}
