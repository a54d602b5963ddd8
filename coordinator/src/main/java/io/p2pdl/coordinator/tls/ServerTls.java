package io.p2pdl.coordinator.tls;

import io.p2pdl.fetch.tls.ClientTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The coordinator's TLS: a PEM certificate (chain) and private key, as a {@code kubernetes.io/tls}
 * Secret holds them ({@code tls.crt}, {@code tls.key}). When set, both ports serve TLS only (the
 * gRPC port, and the HTTP port of {@code /q/health} and {@code /q/metrics}); plaintext connections
 * are closed.
 *
 * <p>Keys (the same style as the tokens, one name everywhere): {@code p2pdl.tls.cert-file}
 * ({@code P2PDL_TLS_CERT_FILE}, {@code --tls-cert}) and {@code p2pdl.tls.key-file}
 * ({@code P2PDL_TLS_KEY_FILE}, {@code --tls-key}). They become Quarkus TLS registry settings
 * before Quarkus starts, because the jar is built once and TLS is chosen at run time.
 *
 * @param certFile the certificate chain, leaf first (PEM)
 * @param keyFile the private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted)
 */
public record ServerTls(Path certFile, Path keyFile) {

    /** Key: the coordinator's certificate chain. */
    public static final String CERT_FILE = "p2pdl.tls.cert-file";
    /** Key: the coordinator's private key. */
    public static final String KEY_FILE = "p2pdl.tls.key-file";
    /**
     * How often the files are read again (cert-manager renews them in place); applies only when
     * neither this nor {@code quarkus.tls.reload-period} is set otherwise.
     */
    public static final String DEFAULT_RELOAD_PERIOD = "5M";

    /**
     * The server TLS configured through {@code lookup} (system property, then environment), or
     * empty for plaintext.
     *
     * @throws IllegalArgumentException with one line when only one of the files is given or a file
     *     is unusable, or when client TLS settings are given without a certificate
     */
    public static Optional<ServerTls> resolve(Function<String, Optional<String>> lookup) {
        Optional<String> cert = nonBlank(lookup.apply(CERT_FILE));
        Optional<String> key = nonBlank(lookup.apply(KEY_FILE));
        if (cert.isEmpty() && key.isEmpty()) {
            for (String client : new String[] {ClientTls.CA_FILE, ClientTls.SERVER_NAME}) {
                if (nonBlank(lookup.apply(client)).isPresent()) {
                    throw new IllegalArgumentException(client + " is set but this coordinator has no certificate:"
                            + " give --tls-cert and --tls-key (" + CERT_FILE + ", " + KEY_FILE + ") as well");
                }
            }
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key: --tls-cert FILE --tls-key FILE ("
                    + CERT_FILE + ", " + KEY_FILE + "; " + ClientTls.envName(CERT_FILE) + ", "
                    + ClientTls.envName(KEY_FILE) + ")");
        }
        Path certFile = ClientTls.checkCertificates(Path.of(cert.get()), "TLS certificate file");
        Path keyFile = checkKey(Path.of(key.get()));
        return Optional.of(new ServerTls(certFile, keyFile));
    }

    /** The lookup {@link #resolve} uses in {@code main}: system property, else environment variable. */
    public static Function<String, Optional<String>> systemLookup() {
        return key -> nonBlank(Optional.ofNullable(System.getProperty(key)))
                .or(() -> nonBlank(Optional.ofNullable(System.getenv(ClientTls.envName(key)))));
    }

    /**
     * The Quarkus settings serving TLS only on the HTTP port, with the default TLS configuration of
     * the TLS registry re-reading the files periodically. (The gRPC port gets the same files and
     * period through {@code GrpcServerTls}.)
     *
     * @param lookup to see whether a reload period is already configured
     */
    public Map<String, String> quarkusProperties(Function<String, Optional<String>> lookup) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.tls.key-store.pem.0.cert", certFile.toString());
        p.put("quarkus.tls.key-store.pem.0.key", keyFile.toString());
        if (nonBlank(lookup.apply("quarkus.tls.reload-period")).isEmpty()) {
            p.put("quarkus.tls.reload-period", DEFAULT_RELOAD_PERIOD);
        }
        // The HTTPS listener is the only one, on the port configured for health and metrics.
        p.put("quarkus.http.ssl-port", "${quarkus.http.port}");
        p.put("quarkus.http.insecure-requests", "disabled");
        // Quarkus's own start-up line would say "TLS enabled: false" for the gRPC port, whose TLS
        // is set up by GrpcServerTls, which logs the port itself.
        p.put("quarkus.log.category.\"io.quarkus.grpc.runtime.GrpcServerRecorder\".level", "WARN");
        return p;
    }

    /**
     * How this coordinator calls itself (embedded workers) and its peers: over TLS when it serves
     * TLS, trusting {@code p2pdl.tls.ca-file} (else its own certificate file) and verifying
     * {@code p2pdl.tls.server-name} (else the dialled address); plaintext otherwise.
     */
    public static ClientTls clientTls(Optional<ServerTls> server, Function<String, Optional<String>> lookup) {
        if (server.isEmpty()) {
            return ClientTls.PLAINTEXT;
        }
        Optional<Path> ca = nonBlank(lookup.apply(ClientTls.CA_FILE)).map(Path::of).or(() -> Optional.of(server.get().certFile()));
        return ClientTls.trusting(ca, nonBlank(lookup.apply(ClientTls.SERVER_NAME)));
    }

    private static Path checkKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS key file " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS key file " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException("TLS key file " + file + ": the key is encrypted; give an unencrypted"
                    + " PEM key (as in a kubernetes.io/tls Secret)");
        }
        if (!text.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.*")) {
            throw new IllegalArgumentException("TLS key file " + file + ": no PEM private key in it (expected"
                    + " '-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
        }
        return file;
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty());
    }
}
