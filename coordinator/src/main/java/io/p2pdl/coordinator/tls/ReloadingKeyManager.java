package io.p2pdl.coordinator.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jboss.logging.Logger;

/**
 * The gRPC server's certificate and key, read again from their PEM files on {@link #reload()} so a
 * certificate renewed in place (cert-manager, then the kubelet) is served to new connections
 * without a restart, as the HTTP port's TLS registry does. A pair that cannot be used keeps the
 * previous one in service and is logged once.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    /** Turns the two files' bytes into a key manager, or fails with the reason. */
    @FunctionalInterface
    public interface Loader {
        X509ExtendedKeyManager load(byte[] certificatePem, byte[] keyPem) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(ReloadingKeyManager.class);

    private final Path certFile;
    private final Path keyFile;
    private final Loader loader;
    /** What the serving pair was made of, and what was last refused (not retried until the files change). */
    private byte[] loadedCert;
    private byte[] loadedKey;
    private byte[] refusedCert;
    private byte[] refusedKey;
    private volatile X509ExtendedKeyManager current;

    /**
     * Reads the files once; they were checked before start-up ({@link ServerTls#resolve}).
     *
     * @throws IllegalArgumentException with the reason when the pair cannot be used
     */
    public ReloadingKeyManager(Path certFile, Path keyFile, Loader loader) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.loader = loader;
        try {
            byte[] cert = Files.readAllBytes(certFile);
            byte[] key = Files.readAllBytes(keyFile);
            current = loader.load(cert, key);
            loadedCert = cert;
            loadedKey = key;
        } catch (Exception e) {
            throw new IllegalArgumentException("TLS certificate " + certFile + " and key " + keyFile
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Reads both files; when they changed and make a usable pair, new handshakes use it.
     *
     * @return whether a new pair is now served
     */
    public synchronized boolean reload() {
        byte[] cert;
        byte[] key;
        try {
            cert = Files.readAllBytes(certFile);
            key = Files.readAllBytes(keyFile);
        } catch (IOException e) {
            LOG.debugf("TLS files not readable now (%s); serving the previous certificate", e.getMessage());
            return false;
        }
        if (Arrays.equals(cert, loadedCert) && Arrays.equals(key, loadedKey)
                || Arrays.equals(cert, refusedCert) && Arrays.equals(key, refusedKey)) {
            return false;
        }
        try {
            current = loader.load(cert, key);
            loadedCert = cert;
            loadedKey = key;
            LOG.infof("gRPC port: serving the certificate re-read from %s", certFile);
            return true;
        } catch (Exception e) {
            // A renewal writes the two files one after the other: a mismatched pair is usually
            // gone by the next period, so this is a warning, not a failure.
            refusedCert = cert;
            refusedKey = key;
            LOG.warnf("gRPC port: the certificate %s and key %s cannot be used (%s); still serving the previous one",
                    certFile, keyFile, e.getMessage());
            return false;
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.getPrivateKey(alias);
    }

    /** A server presents certificates; it never acts as a TLS client. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
