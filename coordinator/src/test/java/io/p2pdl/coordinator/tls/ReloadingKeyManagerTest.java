package io.p2pdl.coordinator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.fetch.testtls.TestCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create(dir.resolve("certs"));
    }

    @Test
    void renewedFilesAreServedAfterTheNextReload() throws Exception {
        Path cert = copy(certs.serverCert(), "renew.crt");
        Path key = copy(certs.serverKey(), "renew.key");
        ReloadingKeyManager keys = reloading(cert, key);
        BigInteger first = served(keys);
        assertFalse(keys.reload(), "unchanged files are not loaded again");

        certs.reissue(cert, key);
        assertTrue(keys.reload());
        assertNotEquals(first, served(keys));
        assertEquals(serial(cert), served(keys));
    }

    @Test
    void aKeyOfAnotherCertificateKeepsThePreviousPairInService() throws Exception {
        Path cert = copy(certs.serverCert(), "half.crt");
        Path key = copy(certs.serverKey(), "half.key");
        ReloadingKeyManager keys = reloading(cert, key);
        BigInteger before = served(keys);
        Path newCert = copy(certs.serverCert(), "new.crt");
        Path newKey = copy(certs.serverKey(), "new.key");
        certs.reissue(newCert, newKey);
        // A renewal caught half-way: the new certificate is written, the key is still the old one.
        Files.copy(newCert, cert, StandardCopyOption.REPLACE_EXISTING);
        assertFalse(keys.reload());
        assertEquals(before, served(keys));
        assertFalse(keys.reload(), "the same refused pair is not tried again");

        Files.copy(newKey, key, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(keys.reload());
        assertEquals(serial(newCert), served(keys));
    }

    @Test
    void aMismatchedPairIsRefusedAtStartWithTheReason() throws Exception {
        Path cert = copy(certs.serverCert(), "start.crt");
        Path key = copy(certs.serverKey(), "start.key");
        certs.reissue(cert, dir.resolve("elsewhere.key"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reloading(cert, key));
        assertTrue(e.getMessage().contains("the private key does not belong to the certificate"), e.getMessage());
    }

    @Test
    void pkcs8KeysAreReadToo() throws Exception {
        ReloadingKeyManager keys = reloading(certs.serverCert(), certs.serverKeyPkcs8());
        assertEquals(serial(certs.serverCert()), served(keys));
    }

    private static ReloadingKeyManager reloading(Path cert, Path key) {
        return new ReloadingKeyManager(cert, key, ReloadingKeyManagerTest::load);
    }

    private static javax.net.ssl.X509ExtendedKeyManager load(byte[] cert, byte[] key) throws Exception {
        return PemKeyPair.keyManager(cert, key);
    }

    private static BigInteger served(ReloadingKeyManager keys) {
        String alias = keys.chooseEngineServerAlias(keyType(keys), null, null);
        return keys.getCertificateChain(alias)[0].getSerialNumber();
    }

    private static String keyType(ReloadingKeyManager keys) {
        for (String type : new String[] {"RSA", "EC"}) {
            if (keys.getServerAliases(type, null) != null) {
                return type;
            }
        }
        throw new AssertionError("no server alias");
    }

    private static BigInteger serial(Path cert) throws Exception {
        try (var in = Files.newInputStream(cert)) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSerialNumber();
        }
    }

    private static Path copy(Path from, String name) throws Exception {
        return Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
