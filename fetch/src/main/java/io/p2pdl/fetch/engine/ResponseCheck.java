package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.origin.ContentRange;
import io.p2pdl.fetch.origin.RetryAfter;
import io.p2pdl.fetch.origin.Validators;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether an origin response head may be used as the bytes of a lease. Anything but an
 * exact 206 of the same version is a classified failure and never data.
 */
final class ResponseCheck {

    private ResponseCheck() {
    }

    /** Returns normally when the response is exactly the leased range of the leased version. */
    static void check(ChunkLease lease, int status, HttpHeaders h, Instant now) throws FetchFailureException {
        if (status == 206) {
            checkPartial(lease, h);
            return;
        }
        throw classify(lease, status, h, now);
    }

    private static void checkPartial(ChunkLease lease, HttpHeaders h) throws FetchFailureException {
        if (!Validators.matches(lease.getValidator(), h)) {
            throw new FetchFailureException(FetchFailureKind.CHANGED, 206, "origin validators differ from the lease's");
        }
        String coding = h.firstValue("Content-Encoding").orElse("identity").trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("identity")) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 206, "origin applied content coding " + coding);
        }
        String type = h.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/byteranges")) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 206, "origin answered multipart/byteranges");
        }
        long last = lease.getOffset() + lease.getLength() - 1;
        Optional<ContentRange> range = h.firstValue("Content-Range").flatMap(ContentRange::parse);
        if (range.isEmpty() || range.get().first() != lease.getOffset() || range.get().last() != last) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 206, "Content-Range "
                    + h.firstValue("Content-Range").orElse("(none)") + " is not bytes " + lease.getOffset() + "-" + last);
        }
        Optional<String> length = h.firstValue("Content-Length");
        if (length.isPresent() && !length.get().trim().equals(Long.toString(lease.getLength()))) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 206,
                    "Content-Length " + length.get().trim() + " is not " + lease.getLength());
        }
    }

    private static FetchFailureException classify(ChunkLease lease, int status, HttpHeaders h, Instant now) {
        if (status == 200) {
            if (RangeRequests.conditional(lease) || !Validators.matches(lease.getValidator(), h)) {
                return new FetchFailureException(FetchFailureKind.CHANGED, status,
                        "origin answered 200 to If-Range: the file changed");
            }
            return new FetchFailureException(FetchFailureKind.BAD_RESPONSE, status, "origin ignored the Range header");
        }
        return switch (status) {
            case 404, 410 -> new FetchFailureException(FetchFailureKind.NOT_FOUND, status, "origin answered " + status);
            case 401, 403 -> new FetchFailureException(FetchFailureKind.FORBIDDEN, status, "origin answered " + status);
            case 416 -> new FetchFailureException(FetchFailureKind.CHANGED, status,
                    "origin answered 416: the range is outside the file, which must have shrunk");
            case 429, 503 -> new FetchFailureException(FetchFailureKind.THROTTLED, status,
                    h.firstValue("Retry-After").flatMap(v -> RetryAfter.parse(v, now)).orElse(Duration.ZERO),
                    "origin answered " + status);
            default -> status >= 500
                    ? new FetchFailureException(FetchFailureKind.TRANSIENT, status, "origin answered " + status)
                    : new FetchFailureException(FetchFailureKind.BAD_RESPONSE, status, "origin answered unexpected " + status);
        };
    }
}
