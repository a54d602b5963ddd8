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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Builds the origin request for a lease: one byte range, no content coding, pinned version. */
final class RangeRequests {

    /**
     * Headers the lease may not set: the JDK client forbids some, and the others are ours
     * (a submitted {@code Range} must not widen the chunk).
     */
    private static final Set<String> RESERVED = Set.of("range", "if-range", "accept-encoding", "host",
            "connection", "content-length", "expect", "upgrade", "te", "transfer-encoding");

    /** RFC 9110 field name: a token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** RFC 9110 field value: visible characters, spaces and tabs (obs-text allowed), nothing else. */
    private static final Pattern FIELD_VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");

    private RangeRequests() {
    }

    /** The inclusive {@code Range} header value for a lease. */
    static String rangeValue(ChunkLease lease) {
        return "bytes=" + lease.getOffset() + "-" + (lease.getOffset() + lease.getLength() - 1);
    }

    /** The lease's URL, checked to be http(s). */
    static URI uri(ChunkLease lease) throws FetchFailureException {
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
        return uri;
    }

    /**
     * The request headers for a lease, in order: the range, identity coding, If-Range when the
     * validator allows, then the submitted headers (minus reserved names), each checked to be a
     * valid field (no CR/LF smuggling).
     */
    static List<Map.Entry<String, String>> headers(ChunkLease lease) throws FetchFailureException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Range", rangeValue(lease)));
        headers.add(Map.entry("Accept-Encoding", "identity"));
        Validators.ifRangeValue(lease.getValidator()).ifPresent(v -> headers.add(Map.entry("If-Range", v)));
        for (Header h : lease.getHeadersList()) {
            if (!RESERVED.contains(h.getName().toLowerCase(Locale.ROOT))) {
                if (!TOKEN.matcher(h.getName()).matches() || !FIELD_VALUE.matcher(h.getValue()).matches()) {
                    // Name only: the value may be a secret.
                    throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 0,
                            "lease header '" + h.getName() + "' cannot be sent");
                }
                headers.add(Map.entry(h.getName(), h.getValue()));
            }
        }
        return headers;
    }

    static HttpRequest build(ChunkLease lease, Duration responseTimeout) throws FetchFailureException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(lease))
                .GET()
                // Covers only the wait for the response head; the body is watched by IdleWatchdog.
                .timeout(responseTimeout);
        for (Map.Entry<String, String> h : headers(lease)) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new FetchFailureException(FetchFailureKind.BAD_RESPONSE, 0,
                        "lease header '" + h.getKey() + "' cannot be sent");
            }
        }
        return b.build();
    }

    /** Whether the request carries If-Range, which makes a 200 answer mean "file changed". */
    static boolean conditional(ChunkLease lease) {
        return Validators.ifRangeValue(lease.getValidator()).isPresent();
    }
}
