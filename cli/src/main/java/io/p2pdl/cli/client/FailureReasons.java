package io.p2pdl.cli.client;

import io.p2pdl.proto.v1.FailureReason;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the coordinator's reason codes (a {@link FailureReason}, or the {@code REASON: message}
 * prefix of a gRPC status description) into words a person understands.
 */
public final class FailureReasons {

    private static final Pattern PREFIXED = Pattern.compile("([A-Z][A-Z0-9_]+):\\s*(.*)", Pattern.DOTALL);

    /**
     * A status description split into its reason code and the rest.
     *
     * @param reason  the reason code, e.g. {@code ORIGIN_NOT_FOUND}
     * @param message the human part after the colon (may be empty)
     */
    public record Reasoned(String reason, String message) {
    }

    private FailureReasons() {
    }

    /** Splits {@code ORIGIN_NOT_FOUND: ...} into reason and message; empty when there is no such prefix. */
    public static Optional<Reasoned> split(String description) {
        if (description == null) {
            return Optional.empty();
        }
        Matcher m = PREFIXED.matcher(description.strip());
        return m.matches() ? Optional.of(new Reasoned(m.group(1), m.group(2).strip())) : Optional.empty();
    }

    /** A short phrase for a reason code; unknown codes are spelled out in lower case. */
    public static String describe(String reason) {
        return switch (reason) {
            case "ORIGIN_NOT_FOUND" -> "the origin has no such file";
            case "ORIGIN_FORBIDDEN" -> "the origin refused access";
            case "ORIGIN_CHANGED" -> "the file changed at the origin";
            case "CHECKSUM_MISMATCH" -> "the checksum does not match";
            case "DISK_FULL" -> "the disk is full";
            case "TOO_MANY_ERRORS" -> "a chunk failed too many times";
            case "CANCELLED" -> "cancelled";
            case "INSUFFICIENT_SPACE" -> "not enough free disk space";
            case "ORIGIN_UNREACHABLE" -> "the origin is unreachable";
            case "ORIGIN_BAD_RESPONSE" -> "the origin's answer is unusable";
            case "ORIGIN_ADDRESS_REFUSED" -> "the origin's address is not allowed";
            case "INTERNAL" -> "internal error";
            default -> reason.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** {@code the origin has no such file (ORIGIN_NOT_FOUND): message}, or without message when blank. */
    public static String sentence(String reason, String message) {
        String head = describe(reason) + " (" + reason + ")";
        return message == null || message.isBlank() ? head : head + ": " + message;
    }
}
