package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTPS origin with a self-signed certificate, generated with keytool for the test. */
class OriginHttpTlsTest {

    @TempDir
    static Path dir;
    static Path pem;
    static HttpsServer server;

    @BeforeAll
    static void startHttpsOrigin() throws Exception {
        Path keystore = dir.resolve("origin.p12");
        keytool("-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=test-origin", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
        pem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "origin", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/f", ex -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    private static HttpResponse<String> get(HttpClient client) throws Exception {
        URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/f");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void extraCaBundleIsTrusted() throws Exception {
        OriginHttpOptions o = new OriginHttpOptions(Duration.ofSeconds(5), Optional.of(pem), Map.of());
        assertEquals("hello", get(OriginHttp.newClient(o)).body());
    }

    @Test
    void withoutTheBundleTheSelfSignedOriginIsRejected() {
        OriginHttpOptions o = new OriginHttpOptions(Duration.ofSeconds(5), Optional.empty(), Map.of());
        assertThrows(SSLHandshakeException.class, () -> get(OriginHttp.newClient(o)));
    }

    @Test
    void jdkDefaultCasStayTrustedNextToTheBundle() throws Exception {
        KeyStore store = TrustedCas.trustStore(pem);
        var bundleCert = TrustedCas.readPem(pem).get(0);
        assertNotNull(store.getCertificateAlias(bundleCert));
        // cacerts ships dozens of roots; the merged store must hold them besides the bundle.
        assertTrue(store.size() > 10, "merged store has " + store.size() + " entries");
    }

    @Test
    void bundleWithoutCertificatesFailsClearly() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "no certs here\n");
        assertThrows(IllegalArgumentException.class, () -> TrustedCas.readPem(empty));
    }
}
