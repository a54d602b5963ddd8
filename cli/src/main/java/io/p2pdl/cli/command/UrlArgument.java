package io.p2pdl.cli.command;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks a download URL before anything is started, so a typo is a usage error (exit 2) at once
 * rather than after a coordinator round trip or a local cluster start. Messages never echo the URL:
 * it may carry credentials.
 */
public final class UrlArgument {

    private UrlArgument() {
    }

    /** Returns {@code url} parsed, or throws a usage error naming what is wrong. */
    public static URI check(CommandLine commandLine, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ParameterException(commandLine, "invalid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ParameterException(commandLine, "invalid URL: only http and https are supported");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ParameterException(commandLine, "invalid URL: no host");
        }
        return uri;
    }
}
