package io.p2pdl.fetch.tls;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * How a client (worker, CLI, coordinator calling a peer or itself) connects to coordinators:
 * plaintext, or TLS verifying the coordinator's certificate against a CA file (or the system
 * trust store) and its name against {@code serverName} (or the address dialled). Hostname
 * verification is never turned off: {@code serverName} only chooses which name must be in the
 * certificate, because in Kubernetes coordinators are dialled by pod IP while certificates
 * carry DNS names.
 *
 * <p>Configuration keys, the same in every component (like the tokens):
 * {@code p2pdl.tls.enabled} ({@code P2PDL_TLS_ENABLED}), {@code p2pdl.tls.ca-file}
 * ({@code P2PDL_TLS_CA_FILE}) and {@code p2pdl.tls.server-name} ({@code P2PDL_TLS_SERVER_NAME}).
 */
public final class ClientTls {

    /** Key: use TLS with the system trust store when no CA file is given. */
    public static final String ENABLED = "p2pdl.tls.enabled";
    /** Key: PEM file of the CA certificates that sign coordinator certificates (implies TLS). */
    public static final String CA_FILE = "p2pdl.tls.ca-file";
    /** Key: name the coordinator certificate must carry, instead of the dialled host. */
    public static final String SERVER_NAME = "p2pdl.tls.server-name";

    /** No TLS. */
    public static final ClientTls PLAINTEXT = new ClientTls(null, Optional.empty(), Optional.empty());

    private final SslContext context;
    private final Optional<Path> caFile;
    private final Optional<String> serverName;

    private ClientTls(SslContext context, Optional<Path> caFile, Optional<String> serverName) {
        this.context = context;
        this.caFile = caFile;
        this.serverName = serverName;
    }

    /**
     * TLS trusting the certificates in {@code caFile} (or the system trust store when empty),
     * verifying {@code serverName} (or the dialled host when empty).
     *
     * @throws IllegalArgumentException with one line saying what is wrong with the file or name
     */
    public static ClientTls trusting(Optional<Path> caFile, Optional<String> serverName) {
        serverName.ifPresent(ClientTls::checkServerName);
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient();
            if (caFile.isPresent()) {
                builder.trustManager(checkCertificates(caFile.get(), "TLS CA file").toFile());
            }
            return new ClientTls(builder.build(), caFile, serverName);
        } catch (SSLException e) {
            throw new IllegalArgumentException("TLS CA file " + caFile.map(Path::toString).orElse("(system)")
                    + ": cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The client TLS settings from configuration: {@code lookup} answers a key above (system
     * property, environment, ...) with a non-blank value or empty. A CA file or a server name
     * turns TLS on; so does {@code p2pdl.tls.enabled=true}.
     *
     * @throws IllegalArgumentException with one line when a value is unusable
     */
    public static ClientTls fromConfig(Function<String, Optional<String>> lookup) {
        Optional<Path> ca = lookup.apply(CA_FILE).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
        Optional<String> name = lookup.apply(SERVER_NAME).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> enabled = lookup.apply(ENABLED).map(String::trim).filter(s -> !s.isEmpty());
        boolean on = enabled.map(v -> parseBoolean(ENABLED, v)).orElse(false);
        if (enabled.isPresent() && !on && (ca.isPresent() || name.isPresent())) {
            throw new IllegalArgumentException(ENABLED + "=false contradicts " + (ca.isPresent() ? CA_FILE : SERVER_NAME)
                    + " (drop one of them)");
        }
        return on || ca.isPresent() || name.isPresent() ? trusting(ca, name) : PLAINTEXT;
    }

    /** The lookup of {@link #fromConfig} over environment variables ({@code P2PDL_TLS_CA_FILE}, ...). */
    public static Function<String, Optional<String>> environment(Function<String, String> env) {
        return key -> Optional.ofNullable(env.apply(envName(key))).filter(v -> !v.isBlank());
    }

    /** The environment variable of a configuration key ({@code p2pdl.tls.ca-file} → {@code P2PDL_TLS_CA_FILE}). */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True when calls go over TLS. */
    public boolean enabled() {
        return context != null;
    }

    /** The CA file trusted, empty for the system trust store (or plaintext). */
    public Optional<Path> caFile() {
        return caFile;
    }

    /** The name verified in coordinator certificates instead of the dialled host. */
    public Optional<String> serverName() {
        return serverName;
    }

    /** Makes {@code builder} use these settings (plaintext or TLS); call before {@code build()}. */
    public NettyChannelBuilder configure(NettyChannelBuilder builder) {
        if (context == null) {
            return builder.usePlaintext();
        }
        builder.useTransportSecurity().sslContext(context);
        serverName.ifPresent(builder::overrideAuthority);
        return builder;
    }

    /** For logs: {@code plaintext} or what is trusted and verified. */
    @Override
    public String toString() {
        if (context == null) {
            return "plaintext";
        }
        return "TLS (trusting " + caFile.map(p -> "CA file " + p).orElse("the system trust store")
                + serverName.map(n -> ", expecting server name " + n).orElse("") + ")";
    }

    /**
     * Checks that {@code file} is a readable PEM file with at least one X.509 certificate.
     *
     * @param what how the file is named in the message, e.g. {@code "TLS CA file"}
     * @return {@code file}
     * @throws IllegalArgumentException with one line saying what and why
     */
    public static Path checkCertificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException(what + " " + file + ": no certificate in it (expected PEM"
                        + " '-----BEGIN CERTIFICATE-----')");
            }
            return file;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " " + file + ": not a PEM certificate file ("
                    + oneLine(e.getMessage()) + ")", e);
        }
    }

    private static void checkServerName(String name) {
        if (!name.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("TLS server name '" + name + "' is not a DNS name");
        }
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        };
    }

    private static String oneLine(String text) {
        return text == null ? "unreadable" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
