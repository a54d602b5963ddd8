package io.p2pdl.fetch.origin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust for origins: the JDK's default CAs, plus the certificates of a PEM bundle
 * (a private CA in front of an internal mirror, say).
 *
 * <p>Both sets go into one trust store rather than a chain of trust managers, so the JDK's own
 * trust manager (with its hostname and algorithm checks) stays in charge.
 */
final class TrustedCas {

    private TrustedCas() {
    }

    static SSLContext sslContext(Optional<Path> extraCaBundle) {
        try {
            if (extraCaBundle.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = trustStore(extraCaBundle.get());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /** The JDK's default CAs plus every certificate of {@code pemBundle}. */
    static KeyStore trustStore(Path pemBundle) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, ca);
        }
        List<X509Certificate> extra = readPem(pemBundle);
        for (int i = 0; i < extra.size(); i++) {
            store.setCertificateEntry("extra-" + i, extra.get(i));
        }
        return store;
    }

    /** Every certificate in a PEM file; fails when the file holds none. */
    static List<X509Certificate> readPem(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : certs) {
                result.add((X509Certificate) c);
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException("CA bundle " + bundle + " holds no certificate");
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CA bundle " + bundle + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA bundle " + bundle + " is not PEM certificates: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK has no X.509 trust manager");
    }
}
