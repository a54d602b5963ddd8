package io.p2pdl.fetch.origin;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes URLs safe to show and log: user info and the values of credential-bearing query
 * parameters become {@code ***}. The built-in parameter list ({@link #DEFAULT_PARAMETERS}) can be
 * extended by configuration ({@code p2pdl.coordinator.redact.query-params},
 * {@code p2pdl.worker.redact.query-params}), never shortened.
 */
public final class UrlRedactor {

    /**
     * Query parameters whose values are credentials (signed URLs, API keys, Azure SAS fields),
     * compared case-insensitively.
     */
    public static final Set<String> DEFAULT_PARAMETERS = Set.of("x-amz-signature", "x-amz-credential",
            "x-amz-security-token", "x-goog-signature", "x-goog-credential", "signature", "sig", "token",
            "access_token", "api_key", "apikey", "key", "password", "secret", "se", "sp", "sv");

    /** Redacts the built-in parameters only. */
    public static final UrlRedactor DEFAULT = new UrlRedactor(DEFAULT_PARAMETERS);

    /** An http(s) URL inside free text: up to white space or a quote. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\bhttps?://[^\\s\"'<>]+");

    private final Set<String> parameters;
    private final Pattern queryInText;

    private UrlRedactor(Collection<String> names) {
        TreeSet<String> all = new TreeSet<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                all.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        this.parameters = Set.copyOf(all);
        StringBuilder alternatives = new StringBuilder();
        for (String n : all) {
            alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(n));
        }
        // name=value after ? or & anywhere in a text (relative URLs, Location values in messages).
        this.queryInText = Pattern.compile("(?i)([?&](?:" + alternatives + ")=)[^&#\\s\"'<>]*");
    }

    /** The built-in parameters plus {@code extra} (blank names are ignored). */
    public static UrlRedactor withExtra(Collection<String> extra) {
        TreeSet<String> all = new TreeSet<>(DEFAULT_PARAMETERS);
        all.addAll(extra.stream().filter(n -> n != null && !n.isBlank()).toList());
        return new UrlRedactor(all);
    }

    /** The redacted parameter names, lower case. */
    public Set<String> parameters() {
        return parameters;
    }

    /** {@code url} with user info and sensitive parameter values replaced by {@code ***}. */
    public String redact(String url) {
        String withoutUser;
        try {
            URI uri = new URI(url);
            withoutUser = uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
        } catch (URISyntaxException e) {
            int at = url.indexOf('@');
            int scheme = url.indexOf("://");
            withoutUser = at > scheme && scheme >= 0 ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
        }
        return redactQuery(withoutUser);
    }

    /**
     * A free text (an error message, a log line) with every http(s) URL in it redacted, and
     * sensitive {@code ?name=value} / {@code &name=value} pairs outside such URLs too.
     */
    public String redactText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redact(m.group())));
        }
        m.appendTail(out);
        return queryInText.matcher(out).replaceAll("$1***");
    }

    private String redactQuery(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        StringBuilder out = new StringBuilder(url.substring(0, q + 1));
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded;
            try {
                decoded = URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = name;
            }
            if (eq >= 0 && parameters.contains(decoded.toLowerCase(Locale.ROOT))) {
                pair = name + "=***";
            }
            out.append(i == 0 ? "" : "&").append(pair);
        }
        if (hash >= 0) {
            out.append(url.substring(hash));
        }
        return out.toString();
    }
}
