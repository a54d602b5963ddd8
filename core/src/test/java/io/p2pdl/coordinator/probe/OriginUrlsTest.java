package io.p2pdl.coordinator.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OriginUrlsTest {

    @Test
    void userInfoAndSignaturesAreRedactedButTheRestStaysReadable() {
        assertEquals("https://***@host/f.iso", OriginUrls.redact("https://user:pw@host/f.iso"));
        assertEquals("https://bucket.s3.example/f.iso?X-Amz-Date=20261125&X-Amz-Signature=***&X-Amz-Credential=***",
                OriginUrls.redact("https://bucket.s3.example/f.iso?X-Amz-Date=20261125&X-Amz-Signature=abc123"
                        + "&X-Amz-Credential=AKIA%2F1"));
        assertEquals("http://h/f?page=2&token=***#frag", OriginUrls.redact("http://h/f?page=2&token=s3cret#frag"));
        assertEquals("http://h/f?flag&sig=***", OriginUrls.redact("http://h/f?flag&sig=x"));
        assertEquals("http://h/f", OriginUrls.redact("http://h/f"));
    }

    @Test
    void onlyHttpAndHttpsWithAHostAreAccepted() {
        for (String bad : new String[] {"file:///etc/passwd", "ftp://h/f", "jar:file:/x!/y", "gopher://h/", ""}) {
            assertThrows(IllegalArgumentException.class, () -> OriginUrls.parse(bad), bad);
        }
        assertTrue(OriginUrls.parse("HTTPS://Example.org/x").getHost().equalsIgnoreCase("example.org"));
    }

    @Test
    void sameOriginComparesSchemeHostAndDefaultPorts() {
        assertTrue(OriginUrls.sameOrigin(URI.create("https://a.example/x"), URI.create("https://A.example:443/y")));
        assertEquals(false, OriginUrls.sameOrigin(URI.create("https://a.example/x"), URI.create("http://a.example/x")));
        assertEquals(false, OriginUrls.sameOrigin(URI.create("https://a.example/x"), URI.create("https://cdn.example/x")));
    }

    @Test
    void theOriginKeyHasSchemeHostAndExplicitPort() {
        assertEquals("https://cdn.example:443", OriginUrls.originOf("https://CDN.example/a/b.iso?x=1"));
        assertEquals("http://10.0.0.1:8080", OriginUrls.originOf("http://user:pw@10.0.0.1:8080/f"));
        assertEquals("http://h:80", OriginUrls.originOf("http://h/f"));
        assertEquals(null, OriginUrls.originOf("not a url"));
    }
}
