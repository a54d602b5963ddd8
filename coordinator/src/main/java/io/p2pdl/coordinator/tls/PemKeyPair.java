package io.p2pdl.coordinator.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A PEM certificate chain and private key (PKCS#8, PKCS#1 RSA or SEC1 EC, as Vert.x reads them) made
 * into a key manager, refused when the key does not belong to the certificate: a renewal caught
 * between writing the two files, or a wrong file, is a clear error instead of failed handshakes.
 */
public final class PemKeyPair {

    /** The key types the coordinator's key may have (those {@link ServerTls} accepts in PEM). */
    private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "Ed25519"};

    private PemKeyPair() {
    }

    /**
     * The key manager of a certificate chain and key given as PEM bytes (Vert.x needs no instance
     * for values, only for file paths).
     *
     * @throws GeneralSecurityException with the reason when the files do not make a usable pair
     */
    public static X509ExtendedKeyManager keyManager(byte[] certificatePem, byte[] keyPem) throws Exception {
        KeyManagerFactory factory = new PemKeyCertOptions().setCertValue(Buffer.buffer(certificatePem))
                .setKeyValue(Buffer.buffer(keyPem)).getKeyManagerFactory((Vertx) null);
        for (KeyManager m : factory.getKeyManagers()) {
            if (m instanceof X509ExtendedKeyManager keys) {
                checkPair(keys);
                return keys;
            }
        }
        throw new GeneralSecurityException("no X.509 key manager for these files");
    }

    private static void checkPair(X509ExtendedKeyManager keys) throws GeneralSecurityException {
        String alias = null;
        for (String type : KEY_TYPES) {
            String[] aliases = keys.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                alias = aliases[0];
                break;
            }
        }
        X509Certificate[] chain = alias == null ? null : keys.getCertificateChain(alias);
        PrivateKey key = alias == null ? null : keys.getPrivateKey(alias);
        if (chain == null || chain.length == 0 || key == null) {
            throw new GeneralSecurityException("no certificate and key in the files");
        }
        if (!matches(key, chain[0].getPublicKey())) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + chain[0].getSubjectX500Principal().getName());
        }
    }

    /**
     * Whether a signature made with {@code key} verifies with {@code publicKey}; a key type this
     * cannot sign with is left to the handshake.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        byte[] probe = new byte[32];
        ThreadLocalRandom.current().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
