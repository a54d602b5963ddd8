package io.p2pdl.fetch.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns a failed connection into one human line when TLS is the cause: an untrusted or wrongly
 * named certificate, or a peer that does not speak TLS. Used by the CLI's error line and the
 * worker's log.
 */
public final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * What went wrong with TLS in {@code error} (searched through its causes), or empty when the
     * failure has nothing to do with TLS.
     */
    public static Optional<String> describe(Throwable error) {
        SSLException ssl = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertPathValidatorException
                    || t.getClass().getName().endsWith("SunCertPathBuilderException")) {
                return Optional.of("the coordinator's certificate is not signed by a trusted CA"
                        + " (check --tls-ca / P2PDL_TLS_CA_FILE)");
            }
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name matching"))) {
                return Optional.of("the coordinator's certificate does not carry the expected name: " + t.getMessage()
                        + " (set --tls-server-name / P2PDL_TLS_SERVER_NAME to a name it carries)");
            }
            if (t.getClass().getName().equals("io.netty.handler.ssl.NotSslRecordException")) {
                return Optional.of("the coordinator does not speak TLS (plaintext port? drop --tls/--tls-ca)");
            }
            if (t instanceof SSLException s && ssl == null) {
                ssl = s;
            }
        }
        if (ssl != null) {
            String m = ssl.getMessage() == null ? ssl.getClass().getSimpleName() : ssl.getMessage();
            return Optional.of("TLS handshake with the coordinator failed: " + m.replaceAll("\\s*[\\r\\n]+\\s*", " "));
        }
        return Optional.empty();
    }
}
