package io.p2pdl.cli.local;

import io.p2pdl.proto.v1.Download;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code p2pdl get} does once its coordinator is up: the coordinator's durable state in the state
 * directory may already hold this download from an interrupted run, which must be continued rather
 * than submitted again.
 *
 * @param action   what to do
 * @param download the earlier download, absent for {@link Action#SUBMIT}
 */
record RunDecision(Action action, Optional<Download> download) {

    /** The possible next steps. */
    enum Action {
        /** No usable earlier download: submit a new one. */
        SUBMIT,
        /** A paused or resumable failed download: resume it, then follow it. */
        RESUME,
        /** The earlier download is still running (or verifying): just follow it. */
        WATCH,
        /** An earlier run completed it; only the cleanup was missed. */
        DONE
    }

    /** Decides from the coordinator's downloads (newest first) for {@code url} stored as {@code name}. */
    static RunDecision decide(List<Download> downloads, String url, String name) {
        String wanted = withoutCredentials(url);
        for (Download d : downloads) {
            if (!d.getOutputName().equals(name) || !withoutCredentials(d.getUrl()).equals(wanted)) {
                continue;
            }
            Action action = switch (d.getState()) {
                case RUNNING, VERIFYING -> Action.WATCH;
                case PAUSED -> Action.RESUME;
                case FAILED -> d.getResumable() ? Action.RESUME : Action.SUBMIT;
                case COMPLETED -> Action.DONE;
                default -> Action.SUBMIT;
            };
            return action == Action.SUBMIT ? submit() : new RunDecision(action, Optional.of(d));
        }
        return submit();
    }

    private static RunDecision submit() {
        return new RunDecision(Action.SUBMIT, Optional.empty());
    }

    /** The URL without user info, as the coordinator shows it back. */
    static String withoutCredentials(String url) {
        try {
            URI u = new URI(url.trim());
            String userInfo = u.getRawUserInfo();
            // User info precedes the host, so its first occurrence is the one in the authority.
            return userInfo == null ? u.toString() : u.toString().replaceFirst(Pattern.quote(userInfo + "@"), "");
        } catch (URISyntaxException e) {
            return url.trim();
        }
    }
}
