package io.p2pdl.fetch.origin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the proxy for an origin URI the way curl and Go read the conventional environment:
 * {@code https_proxy}/{@code HTTPS_PROXY} for https URIs, {@code http_proxy}/{@code HTTP_PROXY}
 * for http URIs (lower-case wins when both are set), except for hosts matched by
 * {@code no_proxy}/{@code NO_PROXY}.
 *
 * <p>Proxy values are {@code [http://]host[:port]}; the port defaults to 80. The JDK client
 * cannot speak TLS to a proxy, so an {@code https://} proxy URL is rejected at construction
 * rather than silently used in plain text.
 */
final class EnvProxySelector extends ProxySelector {

    private static final List<Proxy> DIRECT = List.of(Proxy.NO_PROXY);

    private final Optional<InetSocketAddress> httpsProxy;
    private final Optional<InetSocketAddress> httpProxy;
    private final NoProxyRules noProxy;

    EnvProxySelector(Optional<InetSocketAddress> httpsProxy, Optional<InetSocketAddress> httpProxy,
            NoProxyRules noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        this.noProxy = noProxy;
    }

    /** Reads the proxy variables from {@code env}; absent or blank variables mean "direct". */
    static EnvProxySelector fromEnv(Map<String, String> env) {
        return new EnvProxySelector(
                variable(env, "https_proxy").map(v -> parseProxy("https_proxy", v)),
                variable(env, "http_proxy").map(v -> parseProxy("http_proxy", v)),
                NoProxyRules.parse(variable(env, "no_proxy").orElse("")));
    }

    @Override
    public List<Proxy> select(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<InetSocketAddress> proxy = switch (scheme) {
            case "https" -> httpsProxy;
            case "http" -> httpProxy;
            default -> Optional.empty();
        };
        if (proxy.isEmpty() || uri.getHost() == null) {
            return DIRECT;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
        if (noProxy.bypass(uri.getHost(), port)) {
            return DIRECT;
        }
        return List.of(new Proxy(Proxy.Type.HTTP, proxy.get()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // Nothing to fail over to: the fetch reports the error and is retried.
    }

    private static Optional<String> variable(Map<String, String> env, String lowerName) {
        String value = env.get(lowerName);
        if (value == null || value.isBlank()) {
            value = env.get(lowerName.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    static InetSocketAddress parseProxy(String variable, String value) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " is not a proxy URL: " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(variable + " uses scheme '" + uri.getScheme()
                    + "'; only http:// proxies are supported");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(variable + " has no host");
        }
        // Unresolved: the client resolves the proxy host at connect time, so DNS changes apply.
        return InetSocketAddress.createUnresolved(stripBrackets(uri.getHost()),
                uri.getPort() == -1 ? 80 : uri.getPort());
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
