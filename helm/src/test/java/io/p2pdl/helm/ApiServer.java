package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fake Kubernetes API server for Helm's {@code lookup}.
 *
 * <p>helm-java 0.0.15's {@code template} is not client-only: {@code lookup} calls the cluster
 * named by {@code $KUBECONFIG} and fails the render when there is none. The build sets
 * {@code KUBECONFIG=target/kubeconfig}; {@link #start()} writes that file, pointing at this
 * server, which answers the {@code v1} discovery document and GETs of the Secrets a test
 * {@link #put}s there (404 for the others). So a render sees what a first install or an
 * upgrade would see.
 */
final class ApiServer {

    private static MockWebServer server;
    /** Held so the level sticks: the server logs every request at INFO. */
    private static final Logger SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final Map<String, Secret> SECRETS = new ConcurrentHashMap<>();
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    private ApiServer() {
    }

    /** Starts the server once per JVM and points {@code $KUBECONFIG} at it. */
    static synchronized void start() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new IllegalStateException("KUBECONFIG must name a file for the fake API server"
                    + " (the Maven build sets it; set it too when running the tests elsewhere)");
        }
        SERVER_LOG.setLevel(Level.WARNING);
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
        HelmChart.writeString(Path.of(kubeconfig), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://%s:%d
                users:
                  - name: fake
                    user:
                      token: fake
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                current-context: fake
                """.formatted(server.getHostName(), server.getPort()));
    }

    /** Forgets every Secret and request: the next render is a first install. */
    static void clear() {
        SECRETS.clear();
        REQUESTS.clear();
    }

    /** Serves {@code secret} from now on, as the cluster would after an install. */
    static void put(Secret secret) {
        SECRETS.put(secretPath(secret.getMetadata().getNamespace(), secret.getMetadata().getName()), secret);
    }

    /** Paths (without query) of the requests since {@link #clear()}. */
    static List<String> requests() {
        return List.copyOf(REQUESTS);
    }

    static String secretPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/secrets/" + name;
    }

    private static MockResponse answer(RecordedRequest request) {
        String path = request.getPath().replaceFirst("\\?.*", "");
        REQUESTS.add(path);
        if ("GET".equals(request.getMethod()) && path.equals("/api/v1")) {
            return json(200, new APIResourceListBuilder()
                    .withGroupVersion("v1")
                    .addToResources(new APIResourceBuilder()
                            .withName("secrets").withSingularName("secret").withKind("Secret")
                            .withNamespaced(true)
                            .withVerbs("create", "delete", "get", "list", "patch", "update", "watch")
                            .build())
                    .build());
        }
        Secret secret = "GET".equals(request.getMethod()) ? SECRETS.get(path) : null;
        if (secret != null) {
            return json(200, secret);
        }
        return json(404, new StatusBuilder().withStatus("Failure").withReason("NotFound").withCode(404)
                .withMessage(path + " not found").build());
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code)
                .addHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(body));
    }
}
