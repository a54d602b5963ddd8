package io.p2pdl.fetch.origin;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A satisfied {@code Content-Range} response header (RFC 9110 §14.4): the inclusive byte range
 * a 206 carries and the complete length of the representation.
 *
 * @param first first byte position, inclusive
 * @param last last byte position, inclusive
 * @param completeLength length of the whole file, or -1 when the origin sent {@code *}
 */
public record ContentRange(long first, long last, long completeLength) {

    private static final Pattern SATISFIED = Pattern.compile("bytes[ ]+(\\d{1,19})-(\\d{1,19})/(\\d{1,19}|\\*)");
    private static final Pattern UNSATISFIED = Pattern.compile("bytes[ ]+\\*/(\\d{1,19})");

    public ContentRange {
        if (first < 0 || last < first || completeLength < -1 || (completeLength >= 0 && last >= completeLength)) {
            throw new IllegalArgumentException("invalid content range " + first + "-" + last + "/" + completeLength);
        }
    }

    /** Parses {@code bytes first-last/length}; anything malformed or inconsistent is empty. */
    public static Optional<ContentRange> parse(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        Matcher m = SATISFIED.matcher(headerValue.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            long complete = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            if (last < first || (complete >= 0 && last >= complete)) {
                return Optional.empty();
            }
            return Optional.of(new ContentRange(first, last, complete));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The complete length from an unsatisfied range ({@code bytes *}{@code /1234}, sent with 416),
     * which tells a prober the file size even when its range was out of bounds.
     */
    public static OptionalLong parseUnsatisfiedLength(String headerValue) {
        if (headerValue == null) {
            return OptionalLong.empty();
        }
        Matcher m = UNSATISFIED.matcher(headerValue.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Number of bytes in the range. */
    public long length() {
        return last - first + 1;
    }

    /** The header value form, e.g. {@code bytes 0-9/100}. */
    @Override
    public String toString() {
        return "bytes " + first + "-" + last + "/" + (completeLength < 0 ? "*" : Long.toString(completeLength));
    }
}
