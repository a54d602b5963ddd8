package io.p2pdl.coordinator.probe;

import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginRefusedException;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends one request to an origin and follows redirects itself (at most {@link #MAX_REDIRECTS}) so
 * that hops are counted and the final URL is known. Submitted headers are sent only while the
 * request stays on the submitted URL's origin: a redirect to another host (a CDN, a signed storage
 * URL) must not receive the user's {@code Authorization}. {@code Accept-Encoding: identity} is
 * always sent, because byte offsets only make sense for the unencoded representation.
 *
 * <p>Every hop's host is checked with the {@link OriginAddressPolicy} before the request is sent:
 * the submitted URL, each redirect target, and re-resolutions after 401/403/404 all pass here.
 */
public final class RedirectingClient {

    /** Redirects followed before giving up, as curl and browsers do. */
    public static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** A response with the URL that produced it. Close {@code response.body()}. */
    public record Answer(URI url, HttpResponse<InputStream> response) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final OriginAddressPolicy policy;
    private final UrlRedactor redactor;

    /** A client with the strict origin policy (public addresses only) and the built-in redaction. */
    public RedirectingClient(HttpClient http, Duration timeout) {
        this(http, timeout, OriginAddressPolicy.strict(OriginAddressPolicy.COORDINATOR_KEY), UrlRedactor.DEFAULT);
    }

    public RedirectingClient(HttpClient http, Duration timeout, OriginAddressPolicy policy, UrlRedactor redactor) {
        this.http = http;
        this.timeout = timeout;
        this.policy = policy;
        this.redactor = redactor;
    }

    /**
     * Sends {@code method} to {@code start}, following redirects.
     *
     * @param origin the submitted URL (credentials stripped) whose origin may receive {@code headers}
     * @param extra headers sent on every hop (e.g. Range)
     */
    public Answer send(String method, URI start, URI origin, List<Header> headers, Map<String, String> extra)
            throws ProbeException, InterruptedException {
        URI url = start;
        for (int hop = 0; ; hop++) {
            checkAddress(url, hop);
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity");
            extra.forEach(b::header);
            if (OriginUrls.sameOrigin(url, origin)) {
                for (Header h : headers) {
                    b.header(h.getName(), h.getValue());
                }
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new ProbeException(FailureReason.ORIGIN_UNREACHABLE, true,
                        "origin " + url.getHost() + " did not answer within " + timeout.toSeconds() + " s");
            } catch (IOException e) {
                throw new ProbeException(FailureReason.ORIGIN_UNREACHABLE, true,
                        "cannot reach origin " + url.getHost() + ": " + describe(e));
            } catch (IllegalArgumentException e) {
                throw new ProbeException(FailureReason.ORIGIN_BAD_RESPONSE, false,
                        "cannot request " + redactor.redact(url.toString()) + ": " + e.getMessage());
            }
            if (!REDIRECTS.contains(response.statusCode())) {
                return new Answer(url, response);
            }
            closeQuietly(response.body());
            if (hop >= MAX_REDIRECTS) {
                throw new ProbeException(FailureReason.ORIGIN_BAD_RESPONSE, false,
                        "more than " + MAX_REDIRECTS + " redirects (last to " + redactor.redact(url.toString()) + ")");
            }
            String location = response.headers().firstValue("Location").orElseThrow(() -> new ProbeException(
                    FailureReason.ORIGIN_BAD_RESPONSE, false, "redirect " + response.statusCode() + " without Location"));
            url = resolve(url, location);
        }
    }

    private void checkAddress(URI url, int hop) throws ProbeException {
        try {
            policy.check(url);
        } catch (OriginRefusedException e) {
            String message = hop == 0 ? e.getMessage()
                    : "redirect to " + redactor.redact(url.toString()) + " refused: " + e.getMessage();
            throw new ProbeException(FailureReason.ORIGIN_ADDRESS_REFUSED, false, message);
        }
    }

    private static URI resolve(URI base, String location) throws ProbeException {
        try {
            URI next = base.resolve(location.trim());
            OriginUrls.parse(next.toString());
            return OriginUrls.withoutUserInfo(next);
        } catch (IllegalArgumentException e) {
            throw new ProbeException(FailureReason.ORIGIN_BAD_RESPONSE, false,
                    "redirect to an unusable location: " + e.getMessage());
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // The connection is discarded either way.
        }
    }
}
