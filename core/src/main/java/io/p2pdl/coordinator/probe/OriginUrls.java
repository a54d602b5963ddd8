package io.p2pdl.coordinator.probe;

import io.p2pdl.fetch.origin.UrlRedactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** URL checks and transformations shared by submit, probe and status. */
public final class OriginUrls {

    private OriginUrls() {
    }

    /**
     * Parses a submitted URL.
     *
     * @throws IllegalArgumentException with a one-line reason for malformed URLs and schemes other
     *     than http and https
     */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("URL is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported URL scheme '" + (scheme.isEmpty() ? "(none)" : scheme)
                    + "': only http and https are allowed");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL has no host: " + redact(url));
        }
        return uri;
    }

    /** The URL without user info, so credentials never reach requests lines, logs or status. */
    public static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath() == null ? null
                    : uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL", e);
        }
    }

    /** An {@code Authorization: Basic} value for URL user info, if the URL has any. */
    public static Optional<String> basicAuthorization(URI uri) {
        String userInfo = uri.getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A URL string safe to show and log with the built-in list of sensitive query parameters
     * ({@link UrlRedactor#DEFAULT}); the download service uses its configured {@link UrlRedactor}.
     */
    public static String redact(String url) {
        return UrlRedactor.DEFAULT.redact(url);
    }

    /** True when both URLs have the same scheme, host and port (an origin in RFC 6454's sense). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    /**
     * The origin of {@code url} as {@code scheme://host:port} (lower case, default port made
     * explicit), the key of the per-origin connection cap; null when it does not parse.
     */
    public static String originOf(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port(u);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
