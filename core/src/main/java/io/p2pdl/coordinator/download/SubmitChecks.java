package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.Header;
import io.p2pdl.proto.v1.SubmitRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validation of submit fields that need no origin: headers and checksum. */
final class SubmitChecks {

    /** Headers the coordinator and workers set themselves; a submitted value would break ranges. */
    private static final Set<String> RESERVED = Set.of("range", "if-range", "accept-encoding", "host",
            "content-length", "connection", "transfer-encoding", "te", "upgrade", "expect");

    private SubmitChecks() {
    }

    static void checkHeaders(List<Header> headers) {
        for (Header h : headers) {
            String name = h.getName();
            if (name.isEmpty() || !name.chars().allMatch(SubmitChecks::tokenChar)) {
                throw DownloadException.invalid("header name '" + name + "' is not a valid HTTP token");
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw DownloadException.invalid("header '" + name + "' is set by p2pdl itself and cannot be given");
            }
            if (h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw DownloadException.invalid("value of header '" + name + "' contains a line break");
            }
        }
    }

    static void checkChecksum(SubmitRequest req) {
        if (!req.hasChecksum()) {
            return;
        }
        ChecksumAlgorithm alg = req.getChecksum().getAlgorithm();
        int hexLength = switch (alg) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw DownloadException.invalid("checksum algorithm must be sha256 or sha512");
        };
        String hex = req.getChecksum().getHex();
        if (hex.length() != hexLength || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw DownloadException.invalid(alg.name().toLowerCase(Locale.ROOT) + " checksum must be " + hexLength
                    + " hexadecimal digits");
        }
    }

    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
