package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlRedactorTest {

    @Test
    void builtInParametersAndUserInfoAreRedacted() {
        assertEquals("https://***@h/f?X-Amz-Signature=***&page=2",
                UrlRedactor.DEFAULT.redact("https://u:pw@h/f?X-Amz-Signature=abc&page=2"));
        assertEquals("https://h/f?Sig=***#x", UrlRedactor.DEFAULT.redact("https://h/f?Sig=abc#x"));
    }

    @Test
    void configuredParametersExtendTheDefaults() {
        UrlRedactor r = UrlRedactor.withExtra(List.of("X-Custom-Auth", " ", "session"));
        assertEquals("https://h/f?x-custom-auth=***&session=***&token=***&keep=1",
                r.redact("https://h/f?x-custom-auth=s3cret&session=abc&token=t&keep=1"));
        assertTrue(r.parameters().containsAll(UrlRedactor.DEFAULT_PARAMETERS));
        assertEquals("https://h/f?x-custom-auth=s3cret", UrlRedactor.DEFAULT.redact("https://h/f?x-custom-auth=s3cret"));
    }

    @Test
    void urlsAndQueryPairsInsideFreeTextAreRedacted() {
        UrlRedactor r = UrlRedactor.withExtra(List.of("session"));
        assertEquals("redirect to https://***@cdn.example/f?sig=*** refused (Location: /g?session=***&a=1)",
                r.redactText("redirect to https://u:p@cdn.example/f?sig=abc refused (Location: /g?session=xyz&a=1)"));
        assertEquals("no url here", r.redactText("no url here"));
    }
}
