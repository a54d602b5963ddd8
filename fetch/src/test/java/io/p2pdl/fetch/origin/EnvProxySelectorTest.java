package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvProxySelectorTest {

    private static String chosen(Map<String, String> env, String uri) {
        Proxy p = EnvProxySelector.fromEnv(env).select(URI.create(uri)).get(0);
        if (p.type() == Proxy.Type.DIRECT) {
            return "DIRECT";
        }
        InetSocketAddress a = (InetSocketAddress) p.address();
        return a.getHostString() + ":" + a.getPort();
    }

    @Test
    void noVariablesMeansDirect() {
        assertEquals("DIRECT", chosen(Map.of(), "https://example.com/f"));
    }

    @Test
    void httpsAndHttpUseTheirOwnVariables() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "plain:8080");
        assertEquals("secure:3128", chosen(env, "https://example.com/f"));
        assertEquals("plain:8080", chosen(env, "http://example.com/f"));
    }

    @Test
    void lowerCaseVariablesWinAndPortDefaultsTo80() {
        Map<String, String> env = Map.of("https_proxy", "http://lower", "HTTPS_PROXY", "http://upper:1");
        assertEquals("lower:80", chosen(env, "https://example.com/f"));
    }

    @Test
    void noProxyHostAlsoCoversSubdomains() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "p:1", "NO_PROXY", "internal.corp");
        assertEquals("DIRECT", chosen(env, "https://internal.corp/f"));
        assertEquals("DIRECT", chosen(env, "https://mirror.internal.corp/f"));
        assertEquals("p:1", chosen(env, "https://notinternal.corp/f"));
    }

    @Test
    void noProxyLeadingDotSuffixAndLowerCaseName() {
        Map<String, String> env = Map.of("https_proxy", "p:1", "no_proxy", ".svc.cluster.local, example.org");
        assertEquals("DIRECT", chosen(env, "https://coord.ns.svc.cluster.local:7400/x"));
        assertEquals("DIRECT", chosen(env, "https://EXAMPLE.org/x"));
        assertEquals("p:1", chosen(env, "https://example.com/x"));
    }

    @Test
    void noProxyStarBypassesEverything() {
        assertEquals("DIRECT", chosen(Map.of("HTTPS_PROXY", "p:1", "NO_PROXY", "*"), "https://a.b/f"));
    }

    @Test
    void noProxyHostPortOnlyMatchesThatPort() {
        Map<String, String> env = Map.of("HTTP_PROXY", "p:1", "NO_PROXY", "origin:8080");
        assertEquals("DIRECT", chosen(env, "http://origin:8080/f"));
        assertEquals("p:1", chosen(env, "http://origin/f"));
    }

    @Test
    void noProxyIpLiteralsAndCidrBlocks() {
        Map<String, String> env = Map.of("HTTP_PROXY", "p:1", "NO_PROXY", "127.0.0.1,10.0.0.0/8,::1,[fd00::5]:81");
        assertEquals("DIRECT", chosen(env, "http://127.0.0.1:9/f"));
        assertEquals("DIRECT", chosen(env, "http://10.20.30.40/f"));
        assertEquals("p:1", chosen(env, "http://11.0.0.1/f"));
        assertEquals("DIRECT", chosen(env, "http://[::1]:9/f"));
        assertEquals("DIRECT", chosen(env, "http://[fd00::5]:81/f"));
        assertEquals("p:1", chosen(env, "http://[fd00::5]:82/f"));
        // An IP entry is not a domain suffix.
        assertEquals("p:1", chosen(env, "http://x.127.0.0.1.nip.io/f"));
    }

    @Test
    void httpsProxyUrlIsRejectedRatherThanUsedInPlainText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "https://p:443")));
        assertEquals("https_proxy uses scheme 'https'; only http:// proxies are supported", e.getMessage());
    }

    @Test
    void clientBuiltFromOptionsUsesTheEnvironmentProxy() {
        var client = OriginHttp.newClient(OriginHttpOptions.defaults().withEnv(Map.of("HTTP_PROXY", "p:3128")));
        Proxy p = client.proxy().orElseThrow().select(URI.create("http://example.com/")).get(0);
        InetSocketAddress a = (InetSocketAddress) p.address();
        assertEquals("p:3128", a.getHostString() + ":" + a.getPort());
        assertEquals(java.net.http.HttpClient.Redirect.NEVER, client.followRedirects());
        assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, client.version());
    }
}
