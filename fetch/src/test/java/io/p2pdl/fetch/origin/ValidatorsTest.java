package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.Validator;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

    private static final String DATE = "Wed, 25 Nov 2026 10:00:00 GMT";

    private static HttpHeaders headers(String... nameValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void fromHeadersReadsStrongAndWeakEtags() {
        Validator strong = Validators.fromHeaders(headers("ETag", "\"abc\"", "Last-Modified", DATE));
        assertEquals("\"abc\"", strong.getEtag());
        assertFalse(strong.getEtagWeak());
        assertEquals(DATE, strong.getLastModified());
        assertTrue(Validators.fromHeaders(headers("etag", "W/\"abc\"")).getEtagWeak());
        assertEquals(Validator.getDefaultInstance(), Validators.fromHeaders(headers()));
    }

    @Test
    void ifRangePrefersStrongEtagThenLastModified() {
        assertEquals(Optional.of("\"abc\""), Validators.ifRangeValue(
                Validator.newBuilder().setEtag("\"abc\"").setLastModified(DATE).build()));
        assertEquals(Optional.of(DATE), Validators.ifRangeValue(
                Validator.newBuilder().setEtag("W/\"abc\"").setEtagWeak(true).setLastModified(DATE).build()));
        assertEquals(Optional.empty(), Validators.ifRangeValue(
                Validator.newBuilder().setEtag("W/\"abc\"").setEtagWeak(true).build()));
    }

    @Test
    void differentEtagIsAMismatch() {
        Validator v = Validator.newBuilder().setEtag("\"abc\"").build();
        assertTrue(Validators.matches(v, headers("ETag", "\"abc\"")));
        assertFalse(Validators.matches(v, headers("ETag", "\"abd\"")));
    }

    @Test
    void missingValidatorInResponseIsNotAMismatch() {
        Validator v = Validator.newBuilder().setEtag("\"abc\"").setLastModified(DATE).build();
        assertTrue(Validators.matches(v, headers()));
        assertTrue(Validators.matches(Validator.getDefaultInstance(), headers("ETag", "\"x\"")));
    }

    @Test
    void lastModifiedComparedAsInstant() {
        Validator v = Validator.newBuilder().setLastModified(DATE).build();
        assertTrue(Validators.matches(v, headers("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")));
        assertFalse(Validators.matches(v, headers("Last-Modified", "Wed, 25 Nov 2026 10:00:01 GMT")));
    }

    @Test
    void weakAndStrongFormsOfTheSameTagMatch() {
        Validator v = Validator.newBuilder().setEtag("W/\"abc\"").setEtagWeak(true).build();
        assertTrue(Validators.matches(v, headers("ETag", "\"abc\"")));
    }
}
