package io.p2pdl.coordinator.probe;

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
     * Query parameters whose values are credentials (signed URLs, API keys); their values are
     * replaced by {@code ***} wherever a URL is shown or logged. Compared case-insensitively.
     */
    public static final java.util.Set<String> SENSITIVE_QUERY_PARAMETERS = java.util.Set.of("x-amz-signature",
            "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential", "signature", "sig",
            "token", "access_token", "api_key", "apikey", "key", "password", "secret", "se", "sp", "sv");

    /**
     * A URL string safe to show and log: user info replaced by {@code ***}, and the values of
     * {@link #SENSITIVE_QUERY_PARAMETERS} too.
     */
    public static String redact(String url) {
        String withoutUser;
        try {
            URI uri = new URI(url);
            withoutUser = uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
        } catch (URISyntaxException e) {
            int at = url.indexOf('@');
            int scheme = url.indexOf("://");
            withoutUser = at > scheme && scheme >= 0 ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
        }
        return redactQuery(withoutUser);
    }

    private static String redactQuery(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        StringBuilder out = new StringBuilder(url.substring(0, q + 1));
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded = java.net.URLDecoder.decode(name.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            if (eq >= 0 && SENSITIVE_QUERY_PARAMETERS.contains(decoded.toLowerCase(Locale.ROOT))) {
                pair = name + "=***";
            }
            out.append(i == 0 ? "" : "&").append(pair);
        }
        if (hash >= 0) {
            out.append(url.substring(hash));
        }
        return out.toString();
    }

    /** True when both URLs have the same scheme, host and port (an origin in RFC 6454's sense). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
