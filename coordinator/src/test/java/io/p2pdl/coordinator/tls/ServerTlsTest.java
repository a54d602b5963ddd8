package io.p2pdl.coordinator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.fetch.testtls.TestCertificates;
import io.p2pdl.fetch.tls.ClientTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create(dir.resolve("certs"));
    }

    @Test
    void nothingConfiguredMeansPlaintext() {
        assertEquals(Optional.empty(), ServerTls.resolve(lookup(Map.of())));
        assertFalse(ServerTls.clientTls(Optional.empty(), lookup(Map.of())).enabled());
    }

    @Test
    void certificateAndKeyServeTlsOnlyOnTheOnePort() {
        Map<String, String> config = Map.of(ServerTls.CERT_FILE, certs.serverCert().toString(),
                ServerTls.KEY_FILE, certs.serverKey().toString());
        ServerTls tls = ServerTls.resolve(lookup(config)).orElseThrow();
        Map<String, String> quarkus = tls.quarkusProperties(lookup(config));
        assertEquals(certs.serverCert().toString(), quarkus.get("quarkus.tls.key-store.pem.0.cert"));
        assertEquals(certs.serverKey().toString(), quarkus.get("quarkus.tls.key-store.pem.0.key"));
        assertEquals("${quarkus.http.port}", quarkus.get("quarkus.http.ssl-port"));
        assertEquals("disabled", quarkus.get("quarkus.http.insecure-requests"));
        assertEquals("5M", quarkus.get("quarkus.tls.reload-period"));
    }

    @Test
    void aReloadPeriodSetElsewhereIsKept() {
        Map<String, String> config = Map.of(ServerTls.CERT_FILE, certs.serverCert().toString(),
                ServerTls.KEY_FILE, certs.serverKey().toString(), "quarkus.tls.reload-period", "10s");
        ServerTls tls = ServerTls.resolve(lookup(config)).orElseThrow();
        assertFalse(tls.quarkusProperties(lookup(config)).containsKey("quarkus.tls.reload-period"));
    }

    @Test
    void callsToPeersAndItselfTrustTheCaFileElseTheOwnCertificate() {
        Map<String, String> config = new HashMap<>(Map.of(ServerTls.CERT_FILE, certs.serverCert().toString(),
                ServerTls.KEY_FILE, certs.serverKey().toString()));
        Optional<ServerTls> server = ServerTls.resolve(lookup(config));
        ClientTls own = ServerTls.clientTls(server, lookup(config));
        assertEquals(Optional.of(certs.serverCert()), own.caFile());
        config.put(ClientTls.CA_FILE, certs.caCert().toString());
        config.put(ClientTls.SERVER_NAME, TestCertificates.SERVICE_NAME);
        ClientTls ca = ServerTls.clientTls(server, lookup(config));
        assertEquals(Optional.of(certs.caCert()), ca.caFile());
        assertEquals(Optional.of(TestCertificates.SERVICE_NAME), ca.serverName());
    }

    @Test
    void halfAConfigurationIsOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.resolve(lookup(Map.of(ServerTls.CERT_FILE, certs.serverCert().toString()))));
        assertTrue(e.getMessage().startsWith("TLS needs both a certificate and a key: --tls-cert FILE --tls-key FILE"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.resolve(lookup(Map.of(ClientTls.CA_FILE, certs.caCert().toString()))));
        assertTrue(e.getMessage().startsWith("p2pdl.tls.ca-file is set but this coordinator has no certificate"),
                e.getMessage());
    }

    @Test
    void unusableFilesAreOneClearLine() throws Exception {
        Path missing = dir.resolve("missing.crt");
        assertEquals("TLS certificate file " + missing + ": no such file",
                message(missing, certs.serverKey()));
        assertTrue(message(certs.serverKey(), certs.serverKey()).startsWith(
                "TLS certificate file " + certs.serverKey() + ": "));
        assertEquals("TLS key file " + certs.serverCert() + ": no PEM private key in it (expected"
                + " '-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')",
                message(certs.serverCert(), certs.serverCert()));
        Path encrypted = Files.writeString(dir.resolve("enc.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertTrue(message(certs.serverCert(), encrypted).endsWith(": the key is encrypted; give an unencrypted"
                + " PEM key (as in a kubernetes.io/tls Secret)"));
        Path noKey = dir.resolve("no.key");
        assertEquals("TLS key file " + noKey + ": no such file", message(certs.serverCert(), noKey));
    }

    @Test
    void pkcs8KeysAreAcceptedToo() {
        assertTrue(ServerTls.resolve(lookup(Map.of(ServerTls.CERT_FILE, certs.serverCert().toString(),
                ServerTls.KEY_FILE, certs.serverKeyPkcs8().toString()))).isPresent());
    }

    private static String message(Path cert, Path key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerTls.resolve(
                lookup(Map.of(ServerTls.CERT_FILE, cert.toString(), ServerTls.KEY_FILE, key.toString()))));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static java.util.function.Function<String, Optional<String>> lookup(Map<String, String> config) {
        return key -> Optional.ofNullable(config.get(key));
    }
}
