package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.origin.Validators;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.Header;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Builds the origin request for a lease: one byte range, no content coding, pinned version. */
final class RangeRequests {

    /**
     * Headers the lease may not set: the JDK client forbids some, and the others are ours
     * (a submitted {@code Range} must not widen the chunk).
     */
    private static final Set<String> RESERVED = Set.of("range", "if-range", "accept-encoding", "host",
            "connection", "content-length", "expect", "upgrade", "te", "transfer-encoding");

    private RangeRequests() {
    }

    /** The inclusive {@code Range} header value for a lease. */
    static String rangeValue(ChunkLease lease) {
        return "bytes=" + lease.getOffset() + "-" + (lease.getOffset() + lease.getLength() - 1);
    }

    static HttpRequest build(ChunkLease lease, Duration responseTimeout) throws FetchFailureException {
        URI uri;
        try {
            uri = URI.create(lease.getUrl());
        } catch (IllegalArgumentException e) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 0, "lease URL is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 0, "lease URL scheme is not http(s)");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .GET()
                // Covers only the wait for the response head; the body is watched by IdleWatchdog.
                .timeout(responseTimeout)
                .header("Range", rangeValue(lease))
                .header("Accept-Encoding", "identity");
        Validators.ifRangeValue(lease.getValidator()).ifPresent(v -> b.header("If-Range", v));
        for (Header h : lease.getHeadersList()) {
            if (!RESERVED.contains(h.getName().toLowerCase(Locale.ROOT))) {
                try {
                    b.header(h.getName(), h.getValue());
                } catch (IllegalArgumentException e) {
                    // Name only: the value may be a secret.
                    throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 0,
                            "lease header '" + h.getName() + "' cannot be sent");
                }
            }
        }
        return b.build();
    }

    /** Whether the request carries If-Range, which makes a 200 answer mean "file changed". */
    static boolean conditional(ChunkLease lease) {
        return Validators.ifRangeValue(lease.getValidator()).isPresent();
    }
}
