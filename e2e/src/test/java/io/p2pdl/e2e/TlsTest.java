package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.CliResult;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.HttpsClients;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testtls.TestCertificates;
import io.p2pdl.fetch.tls.ClientTls;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coordinators serving TLS only (certificates made by openssl for the test): workers, the CLI,
 * peers and embedded workers verify the coordinator's certificate; plaintext and other CAs fail
 * with one line.
 */
class TlsTest extends ProcessTest {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

    private TestCertificates certs;
    private HttpClient https;

    @BeforeEach
    void makeCertificates() {
        certs = TestCertificates.create(dir.resolve("certs"));
        https = HttpsClients.trusting(certs.caCert());
    }

    private List<String> serverFlags() {
        return List.of("--tls-cert", certs.serverCert().toString(), "--tls-key", certs.serverKey().toString(),
                "--tls-ca", certs.caCert().toString());
    }

    @Test
    void workerAndCliOverTlsDownloadWithTheRightSha256WhileThePortRefusesPlaintext() throws Exception {
        Content content = Content.pseudoRandom(51, 8L << 20);
        origin.serve("/tls.bin", content);
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        services.tlsCoordinator("tls", port, data, dir.resolve("state"), serverFlags(), https);
        // Dialled by IP, verified by the name every coordinator certificate carries (as in Kubernetes).
        services.startWorker(List.of("--coordinator", "127.0.0.1:" + port, "--tls-ca", certs.caCert().toString(),
                "--tls-server-name", TestCertificates.SERVICE_NAME), 4);

        CliResult submit = services.cli(dir, CLI_TIMEOUT, "submit", origin.url("/tls.bin"), "--coordinator",
                "127.0.0.1:" + port, "--tls-ca", certs.caCert().toString(), "-o", "tls.bin", "--wait");
        assertEquals(0, submit.exitCode(), "p2pdl submit --wait over TLS:\n" + submit.output());
        assertEquals(content.sha256Hex(), Sha256.of(data.resolve("tls.bin")));

        int http = services.httpPort(port);
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + http + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + http + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("p2pdl_coordinator_written_bytes_total"), "metrics over https");
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()), "plain HTTP health is refused");

        CliResult plain = services.cli(dir, CLI_TIMEOUT, "list", "--coordinator", "127.0.0.1:" + port);
        assertEquals(3, plain.exitCode(), plain.output());
        assertEquals(1, plain.stderr().strip().lines().count(), plain.output());
        assertTrue(plain.stderr().contains("(if it serves TLS, use --tls-ca FILE or --tls)"), plain.output());
        try (AdminClient plaintext = new AdminClient(port)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> plaintext.get("nope"));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        }

        CliResult wrongCa = services.cli(dir, CLI_TIMEOUT, "list", "--coordinator", "127.0.0.1:" + port,
                "--tls-ca", certs.otherCaCert().toString());
        assertEquals(3, wrongCa.exitCode(), wrongCa.output());
        assertEquals("p2pdl: cannot connect to the coordinator at 127.0.0.1:" + port + ": the coordinator's certificate"
                + " is not signed by a trusted CA (check --tls-ca / P2PDL_TLS_CA_FILE)", wrongCa.stderr().strip());
    }

    @Test
    void workerTrustingAnotherCaFetchesNothingAndSaysWhyOnce() {
        origin.serve("/untrusted.bin", Content.pseudoRandom(52, 4L << 20));
        int port = FreePorts.next();
        services.tlsCoordinator("lonely", port, dir.resolve("data"), dir.resolve("state"), serverFlags(), https);
        ServiceProcess worker = services.startWorker(List.of("--coordinator", "127.0.0.1:" + port,
                "--tls-ca", certs.otherCaCert().toString()), 2);
        try (AdminClient admin = new AdminClient(port, ClientTls.trusting(Optional.of(certs.caCert()), Optional.empty()))) {
            Download d = admin.submit(origin.url("/untrusted.bin"), "untrusted.bin", 0);
            String expected = "cannot connect to coordinator 127.0.0.1:" + port
                    + ": the coordinator's certificate is not signed by a trusted CA (check --tls-ca / P2PDL_TLS_CA_FILE)";
            Await.until("the worker logs why it cannot connect", Await.LONG, () -> log(worker).contains(expected));
            Download now = admin.get(d.getId());
            assertEquals(DownloadState.RUNNING, now.getState());
            assertEquals(0, now.getCompletedBytes(), "no chunk reached the coordinator");
            assertEquals(1, log(worker).split(java.util.regex.Pattern.quote(expected), -1).length - 1,
                    "the reason is logged once:\n" + log(worker));
        }
    }

    @Test
    void embeddedWorkersAndPeerForwardingUseTlsAndARenewedCertificateIsServed() throws Exception {
        Content content = Content.pseudoRandom(53, 4L << 20);
        origin.serve("/embedded.bin", content);
        origin.serve("/owned-by-a.bin", Content.pseudoRandom(54, 4L << 20)).delayPerResponse(Duration.ofMillis(50));
        Path cert = Files.copy(certs.serverCert(), dir.resolve("live-tls.crt"));
        Path key = Files.copy(certs.serverKey(), dir.resolve("live-tls.key"));
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        ClientTls tls = ClientTls.trusting(Optional.of(certs.caCert()), Optional.empty());
        services.tlsCoordinator("alpha", portA, dir.resolve("a/data"), dir.resolve("a/state"), serverFlags(), https);
        // beta: serves TLS with an embedded worker (in-process), peer alpha over TLS, its own files re-read every second.
        services.tlsCoordinator("beta", portB, dir.resolve("b/data"), dir.resolve("b/state"), List.of(
                "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-ca", certs.caCert().toString(),
                "--tls-server-name", TestCertificates.SERVICE_NAME, "--embedded-workers", "1",
                "--peer", "127.0.0.1:" + portA), https, "-Dquarkus.tls.reload-period=1s");

        try (AdminClient a = new AdminClient(portA, tls); AdminClient b = new AdminClient(portB, tls)) {
            Download ownedByA = a.submit(origin.url("/owned-by-a.bin"), "a.bin", 0);
            assertEquals("alpha", b.get(ownedByA.getId()).getOwner(), "Get through beta is forwarded to alpha over TLS");

            Download embedded = b.submit(origin.url("/embedded.bin"), "embedded.bin", 0);
            b.awaitCompleted(embedded.getId(), Await.LONG);
            assertEquals(content.sha256Hex(), Sha256.of(dir.resolve("b/data/embedded.bin")));
        }

        BigInteger before = servedSerial(services.httpPort(portB));
        assertEquals(before, servedSerial(portB), "both ports serve the same certificate");
        certs.reissue(cert, key);
        BigInteger renewed = ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(cert))).getSerialNumber();
        Await.until("beta's HTTP port serves the renewed certificate", Await.LONG,
                () -> renewed.equals(servedSerial(services.httpPort(portB))));
        Await.until("beta's gRPC port serves the renewed certificate", Await.LONG, () -> renewed.equals(servedSerial(portB)));
        assertTrue(!before.equals(renewed));
    }

    @Test
    void unusableTlsFilesStopTheServicesWithOneLine() throws IOException {
        Path missing = dir.resolve("missing.key");
        ServiceProcess coordinator = services.startCoordinator("bad", FreePorts.next(), dir.resolve("data"),
                dir.resolve("state"), List.of("--tls-cert", certs.serverCert().toString(), "--tls-key", missing.toString()));
        assertEquals(2, coordinator.awaitExit(Duration.ofSeconds(60)));
        assertEquals("p2pdl coordinator: TLS key file " + missing + ": no such file", log(coordinator).strip());

        Path cert = Files.copy(certs.serverCert(), dir.resolve("mismatched.crt"));
        certs.reissue(cert, dir.resolve("its-own.key"));
        ServiceProcess mismatched = services.startCoordinator("mismatched", FreePorts.next(), dir.resolve("data"),
                dir.resolve("state"), List.of("--tls-cert", cert.toString(), "--tls-key", certs.serverKey().toString()));
        assertEquals(2, mismatched.awaitExit(Duration.ofSeconds(60)));
        String refusal = log(mismatched).strip();
        assertEquals(1, refusal.lines().count(), refusal);
        assertTrue(refusal.startsWith("p2pdl coordinator: TLS certificate " + cert + " and key " + certs.serverKey()
                + " cannot be used: the private key does not belong to the certificate "), refusal);

        ServiceProcess worker = services.startWorker(List.of("--coordinator", "127.0.0.1:1",
                "--tls-ca", certs.serverKey().toString()), 1);
        assertEquals(2, worker.awaitExit(Duration.ofSeconds(60)));
        String line = log(worker).strip();
        assertTrue(line.startsWith("p2pdl worker: TLS CA file " + certs.serverKey() + ": "), line);
        assertEquals(1, line.lines().count(), line);
    }

    /**
     * The serial number of the certificate the coordinator's port {@code port} (gRPC or HTTP)
     * presents to a new handshake (ALPN h2, which both speak).
     */
    private BigInteger servedSerial(int port) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) HttpsClients.sslContext(certs.caCert())
                .getSocketFactory().createSocket("127.0.0.1", port)) {
            javax.net.ssl.SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String log(ServiceProcess p) {
        try {
            return Files.readString(p.log());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
