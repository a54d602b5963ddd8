package io.p2pdl.fetch.origin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach origins: connect timeout, extra trusted CAs and the environment the proxy
 * variables ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}) are read from.
 *
 * <p>The environment is a parameter rather than read inside {@link OriginHttp} so tests (and
 * embedders) can decide which proxy settings apply without touching the process environment.
 *
 * @param connectTimeout TCP (and proxy) connect timeout
 * @param extraCaBundle PEM file with CA certificates trusted in addition to the JDK's defaults
 * @param env environment variables consulted for proxy settings
 */
public record OriginHttpOptions(Duration connectTimeout, Optional<Path> extraCaBundle, Map<String, String> env) {

    public OriginHttpOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(extraCaBundle, "extraCaBundle");
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /** 10 s connect timeout, only the JDK's CAs, proxies from the process environment. */
    public static OriginHttpOptions defaults() {
        return new OriginHttpOptions(Duration.ofSeconds(10), Optional.empty(), System.getenv());
    }

    /** A copy trusting the CA certificates in {@code pemBundle} as well. */
    public OriginHttpOptions withExtraCaBundle(Path pemBundle) {
        return new OriginHttpOptions(connectTimeout, Optional.of(pemBundle), env);
    }

    /** A copy reading proxy settings from {@code environment} instead. */
    public OriginHttpOptions withEnv(Map<String, String> environment) {
        return new OriginHttpOptions(connectTimeout, extraCaBundle, environment);
    }
}
