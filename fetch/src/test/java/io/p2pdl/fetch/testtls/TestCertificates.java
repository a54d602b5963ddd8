package io.p2pdl.fetch.testtls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Certificates made for a test with the {@code openssl} command (Debian package {@code openssl};
 * {@code .ci/run} installs it): a CA, a server certificate it signs for {@code IP:127.0.0.1},
 * {@code DNS:localhost} and {@code DNS:coordinator.p2pdl.svc} (the key in PKCS#1 form, as
 * cert-manager writes it), and a second, unrelated CA. Without openssl the test is skipped, or
 * fails when {@code CI=true}.
 *
 * @param caCert the CA certificate (PEM), what clients trust
 * @param serverCert the server certificate (PEM)
 * @param serverKey the server's private key (PEM, PKCS#1 RSA)
 * @param otherCaCert an unrelated CA's certificate (PEM): trusting it must fail
 * @param serverKeyPkcs8 the same private key in PKCS#8 form (what Netty reads without BouncyCastle)
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path otherCaCert, Path serverKeyPkcs8) {

    /** A DNS name in the server certificate that no resolver knows: verified via the server name. */
    public static final String SERVICE_NAME = "coordinator.p2pdl.svc";

    /** Creates the files in {@code dir}. */
    public static TestCertificates create(Path dir) {
        Path openssl = openssl();
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.crt");
            Path caKey = dir.resolve("ca.key");
            Path other = dir.resolve("other-ca.crt");
            Path cert = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            Path csr = dir.resolve("tls.csr");
            Path ext = dir.resolve("san.cnf");
            run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                    "-out", ca.toString(), "-days", "2", "-subj", "/CN=p2pdl test CA");
            run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    dir.resolve("other-ca.key").toString(), "-out", other.toString(), "-days", "2",
                    "-subj", "/CN=unrelated test CA");
            run(dir, openssl, "genrsa", "-traditional", "-out", key.toString(), "2048");
            run(dir, openssl, "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:" + SERVICE_NAME + "\n"
                    + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
            run(dir, openssl, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                    "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
            Path pkcs8 = dir.resolve("tls-pkcs8.key");
            run(dir, openssl, "pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", pkcs8.toString());
            return new TestCertificates(ca, cert, key, other, pkcs8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A new key and certificate for the same names, signed by the same CA, moved over {@code cert}
     * and {@code key} (as cert-manager renews a Secret).
     */
    public void reissue(Path cert, Path key) {
        Path dir = caCert.getParent();
        Path openssl = openssl();
        try {
            Path newKey = dir.resolve("renewed.key");
            Path csr = dir.resolve("renewed.csr");
            Path newCert = dir.resolve("renewed.crt");
            run(dir, openssl, "genrsa", "-traditional", "-out", newKey.toString(), "2048");
            run(dir, openssl, "req", "-new", "-key", newKey.toString(), "-out", csr.toString(), "-subj", "/CN=renewed");
            run(dir, openssl, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
                    dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", newCert.toString(), "-days", "2",
                    "-extfile", dir.resolve("san.cnf").toString());
            Files.move(newKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(newCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(Path dir, Path openssl, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args[0] + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " exited " + p.exitValue() + ": "
                    + Files.readString(log));
        }
    }

    /** The openssl binary on PATH; missing: fail on CI, skip elsewhere. */
    private static Path openssl() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "openssl");
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "openssl is not installed (Debian: apt-get install openssl)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + ", and CI=true: TLS tests must run on CI");
        }
        Assumptions.abort(why + "; TLS test skipped outside CI");
        throw new IllegalStateException("unreachable");
    }
}
