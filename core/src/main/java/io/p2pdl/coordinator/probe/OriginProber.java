package io.p2pdl.coordinator.probe;

import io.p2pdl.fetch.origin.ContentRange;
import io.p2pdl.fetch.origin.RetryAfter;
import io.p2pdl.fetch.origin.Validators;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.Header;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out size, range support, final URL and validator of an origin's file with
 * {@code GET Range: bytes=0-0} (HEAD only as a fallback, because many signed URLs refuse HEAD).
 * Transient answers (network errors, 429, 5xx) are retried a few times with backoff.
 */
public final class OriginProber {

    private static final Pattern FILENAME_STAR = Pattern.compile("filename\\*\\s*=\\s*(?:UTF-8|utf-8)''([^;]+)");
    private static final Pattern FILENAME = Pattern.compile("filename\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

    /** Longest Retry-After the probe waits for; longer ones fail the submit as unreachable. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

    private final RedirectingClient client;
    private final int attempts;
    private final Duration firstBackoff;

    public OriginProber(RedirectingClient client, int attempts, Duration firstBackoff) {
        this.client = client;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    /**
     * Probes {@code url} (credentials in it become a Basic {@code Authorization} header).
     *
     * @throws ProbeException with a reason when the origin refuses, is unreachable, or answers nonsense
     */
    public ProbeResult probe(URI url, List<Header> headers) throws ProbeException, InterruptedException {
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return probeOnce(url, headers);
            } catch (ProbeException e) {
                if (!e.isTransient() || attempt >= attempts) {
                    throw e;
                }
                Duration wait = e.retryAfter().filter(d -> d.compareTo(MAX_RETRY_AFTER) <= 0).orElse(backoff);
                Thread.sleep(wait.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private ProbeResult probeOnce(URI submitted, List<Header> headers)
            throws ProbeException, InterruptedException {
        URI url = OriginUrls.withoutUserInfo(submitted);
        List<Header> all = withBasicAuth(submitted, headers);
        RedirectingClient.Answer answer = client.send("GET", url, url, all, Map.of("Range", "bytes=0-0"));
        HttpResponse<InputStream> r = answer.response();
        try {
            int status = r.statusCode();
            HttpHeaders h = r.headers();
            Optional<String> name = h.firstValue("Content-Disposition").flatMap(OriginProber::fileName);
            switch (status) {
                case 206:
                    return fromPartial(answer.url(), h, name);
                case 200:
                    return new ProbeResult(answer.url(), contentLength(h), false, Validators.fromHeaders(h), name,
                            "origin ignores Range requests: single stream, not resumable");
                case 416:
                    OptionalLong complete = h.firstValue("Content-Range").map(ContentRange::parseUnsatisfiedLength)
                            .orElse(OptionalLong.empty());
                    if (complete.isPresent() && complete.getAsLong() == 0) {
                        return new ProbeResult(answer.url(), 0, true, Validators.fromHeaders(h), name, "");
                    }
                    return headFallback(url, all, "range request refused with 416");
                case 405:
                case 501:
                    return headFallback(url, all, "GET with Range refused with " + status);
                default:
                    throw classify(status, h, answer.url());
            }
        } finally {
            RedirectingClient.closeQuietly(r.body());
        }
    }

    private static ProbeResult fromPartial(URI url, HttpHeaders h, Optional<String> name) {
        Optional<ContentRange> range = h.firstValue("Content-Range").flatMap(ContentRange::parse);
        String encoding = h.firstValue("Content-Encoding").orElse("identity").trim().toLowerCase(Locale.ROOT);
        if (!encoding.equals("identity") && !encoding.isEmpty()) {
            return new ProbeResult(url, -1, false, Validators.fromHeaders(h), name,
                    "origin applies Content-Encoding " + encoding + " despite identity: single stream, not resumable");
        }
        if (range.isEmpty() || range.get().first() != 0 || range.get().last() != 0) {
            return new ProbeResult(url, -1, false, Validators.fromHeaders(h), name,
                    "origin answered 206 with an unusable Content-Range: single stream, not resumable");
        }
        if (range.get().completeLength() < 0) {
            return new ProbeResult(url, -1, false, Validators.fromHeaders(h), name,
                    "origin does not tell the file size: single stream, not resumable");
        }
        return new ProbeResult(url, range.get().completeLength(), true, Validators.fromHeaders(h), name, "");
    }

    private ProbeResult headFallback(URI url, List<Header> headers, String why)
            throws ProbeException, InterruptedException {
        RedirectingClient.Answer answer = client.send("HEAD", url, url, headers, Map.of());
        HttpResponse<InputStream> r = answer.response();
        try {
            HttpHeaders h = r.headers();
            if (r.statusCode() != 200) {
                throw classify(r.statusCode(), h, answer.url());
            }
            return new ProbeResult(answer.url(), -1, false, Validators.fromHeaders(h),
                    h.firstValue("Content-Disposition").flatMap(OriginProber::fileName),
                    why + ": single stream, not resumable");
        } finally {
            RedirectingClient.closeQuietly(r.body());
        }
    }

    /** Maps an unusable status to a failure with its reason; 429 and 5xx are transient. */
    public static ProbeException classify(int status, HttpHeaders h, URI url) {
        String where = " from " + url.getHost();
        return switch (status) {
            case 404, 410 -> new ProbeException(FailureReason.ORIGIN_NOT_FOUND, false,
                    "origin answered " + status + " (not found)" + where);
            case 401, 403 -> new ProbeException(FailureReason.ORIGIN_FORBIDDEN, false,
                    "origin answered " + status + " (access denied)" + where);
            default -> {
                boolean retry = status == 429 || status >= 500;
                yield new ProbeException(retry ? FailureReason.ORIGIN_UNREACHABLE : FailureReason.ORIGIN_BAD_RESPONSE,
                        retry, "origin answered " + status + where,
                        h.firstValue("Retry-After").flatMap(v -> RetryAfter.parse(v, Instant.now())));
            }
        };
    }

    private static long contentLength(HttpHeaders h) {
        if (h.firstValue("Transfer-Encoding").isPresent()) {
            return -1;
        }
        return h.firstValueAsLong("Content-Length").orElse(-1);
    }

    private static List<Header> withBasicAuth(URI url, List<Header> headers) {
        Optional<String> basic = OriginUrls.basicAuthorization(url);
        boolean hasAuth = headers.stream().anyMatch(x -> x.getName().equalsIgnoreCase("Authorization"));
        if (basic.isEmpty() || hasAuth) {
            return headers;
        }
        List<Header> all = new java.util.ArrayList<>(headers);
        all.add(Header.newBuilder().setName("Authorization").setValue(basic.get()).build());
        return all;
    }

    /** The file name a {@code Content-Disposition} header suggests, without any path part. */
    static Optional<String> fileName(String disposition) {
        Matcher star = FILENAME_STAR.matcher(disposition);
        String raw = null;
        if (star.find()) {
            raw = java.net.URLDecoder.decode(star.group(1).trim().replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8);
        } else {
            Matcher plain = FILENAME.matcher(disposition);
            if (plain.find()) {
                raw = plain.group(2) != null ? plain.group(2) : plain.group(1);
            }
        }
        if (raw == null) {
            return Optional.empty();
        }
        String base = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1).trim();
        return base.isEmpty() || base.equals(".") || base.equals("..") ? Optional.empty() : Optional.of(base);
    }
}
