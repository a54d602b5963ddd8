package io.p2pdl.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process exit codes of {@code p2pdl}; scripts and Kubernetes Jobs branch on them,
 * so they are part of the CLI's interface and never change meaning.
 */
public final class ExitCodes {

    /** The command did what was asked (for a download: it COMPLETED). */
    public static final int OK = 0;
    /** The download failed, or the coordinator refused it because the origin probe failed. */
    public static final int FAILED = 1;
    /** Bad flag or value, or the coordinator rejected the request as invalid / unknown / conflicting. */
    public static final int USAGE = 2;
    /** The coordinator could not be reached or did not answer in time. */
    public static final int UNREACHABLE = 3;
    /** Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /** The exit code list shown in every command's {@code --help}, in order. */
    public static Map<String, String> helpList() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(OK), "ok (a followed download COMPLETED)");
        codes.put(Integer.toString(FAILED), "download failed, or the coordinator refused it (origin probe failed)");
        codes.put(Integer.toString(USAGE), "usage: bad flag or value, invalid request, unknown id, name taken");
        codes.put(Integer.toString(UNREACHABLE), "coordinator unreachable or not answering");
        codes.put(Integer.toString(INTERRUPTED), "interrupted (Ctrl-C / SIGTERM)");
        return codes;
    }
}
