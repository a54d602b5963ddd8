package io.p2pdl.fetch.origin;

import io.p2pdl.proto.v1.Validator;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads, sends and compares the validators ({@code ETag}, {@code Last-Modified}) that pin a
 * download to one version of the origin's file.
 */
public final class Validators {

    private Validators() {
    }

    /** The validators an origin response carries; fields are empty when the header is absent. */
    public static Validator fromHeaders(HttpHeaders h) {
        String etag = h.firstValue("ETag").map(String::trim).orElse("");
        return Validator.newBuilder()
                .setEtag(etag)
                .setEtagWeak(etag.startsWith("W/"))
                .setLastModified(h.firstValue("Last-Modified").map(String::trim).orElse(""))
                .build();
    }

    /**
     * The {@code If-Range} value for a lease: the strong ETag, else Last-Modified, else empty
     * (weak ETags are not allowed in If-Range, RFC 9110 §13.1.5).
     */
    public static Optional<String> ifRangeValue(Validator v) {
        if (!v.getEtag().isEmpty() && !v.getEtagWeak() && !v.getEtag().startsWith("W/")) {
            return Optional.of(v.getEtag());
        }
        if (!v.getLastModified().isEmpty()) {
            return Optional.of(v.getLastModified());
        }
        return Optional.empty();
    }

    /**
     * True unless the response carries a validator that differs from the expected one. A
     * response lacking a validator is not a mismatch: some caches and mirrors drop them on 206.
     * ETags are compared with the weak comparison function (opaque tags equal), Last-Modified as
     * instants when both parse as HTTP-dates, else as text.
     */
    public static boolean matches(Validator expected, HttpHeaders response) {
        Optional<String> etag = response.firstValue("ETag").map(String::trim).filter(s -> !s.isEmpty());
        if (!expected.getEtag().isEmpty() && etag.isPresent()
                && !opaqueTag(expected.getEtag()).equals(opaqueTag(etag.get()))) {
            return false;
        }
        Optional<String> lastModified = response.firstValue("Last-Modified").map(String::trim)
                .filter(s -> !s.isEmpty());
        return expected.getLastModified().isEmpty() || lastModified.isEmpty()
                || sameDate(expected.getLastModified(), lastModified.get());
    }

    private static String opaqueTag(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    private static boolean sameDate(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return instant(a).equals(instant(b));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Instant instant(String httpDate) {
        return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }
}
