package io.p2pdl.coordinator.plan;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte sizes such as {@code 1048576}, {@code 512K}, {@code 4M}, {@code 4MiB} or {@code 1GB}.
 * Every unit is a power of 1024: users type "4MB" meaning the chunk size they know as 4 MiB, and
 * chunk sizes are never meant in powers of ten.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    private static final Map<String, Integer> SHIFTS = Map.ofEntries(
            Map.entry("", 0), Map.entry("b", 0),
            Map.entry("k", 10), Map.entry("kb", 10), Map.entry("kib", 10),
            Map.entry("m", 20), Map.entry("mb", 20), Map.entry("mib", 20),
            Map.entry("g", 30), Map.entry("gb", 30), Map.entry("gib", 30),
            Map.entry("t", 40), Map.entry("tb", 40), Map.entry("tib", 40));

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} denotes.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is not a positive size
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1048576, 512K, 4M, 4MiB, 1G)");
        }
        Integer shift = SHIFTS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (shift == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                    + "' (use K, M, G, T, optionally followed by B or iB)");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (number <= 0) {
            throw new IllegalArgumentException("'" + text + "' must be greater than zero");
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return number << shift;
    }
}
