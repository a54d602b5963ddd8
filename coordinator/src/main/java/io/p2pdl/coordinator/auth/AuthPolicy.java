package io.p2pdl.coordinator.auth;

import io.p2pdl.fetch.auth.BearerTokens;
import java.util.Optional;

/**
 * Who may call what: the worker token opens the worker service ({@code p2pdl.v1.Downloader}), the
 * admin token the admin service ({@code p2pdl.v1.Downloads}); health needs nothing. Without tokens
 * a coordinator only starts when unauthenticated use was explicitly allowed.
 *
 * @param workerToken token of workers (and embedded workers)
 * @param adminToken token of admin clients (the CLI, peer coordinators forwarding calls)
 * @param allowUnauthenticated accept calls without a token for a service whose token is not set
 */
public record AuthPolicy(Optional<String> workerToken, Optional<String> adminToken, boolean allowUnauthenticated) {

    /** The outcome of checking one call. */
    public enum Verdict {
        ALLOWED, MISSING, WRONG
    }

    private static final String WORKER_SERVICE = "p2pdl.v1.Downloader/";
    private static final String ADMIN_SERVICE = "p2pdl.v1.Downloads/";

    /**
     * Refuses to build a policy that would leave a service open by accident.
     *
     * @throws IllegalArgumentException naming the missing settings
     */
    public AuthPolicy {
        if (!allowUnauthenticated && (workerToken.isEmpty() || adminToken.isEmpty())) {
            throw new IllegalArgumentException("no " + (workerToken.isEmpty() ? "worker" : "admin")
                    + " token: set P2PDL_WORKER_TOKEN and P2PDL_ADMIN_TOKEN (or their _FILE variants), or allow"
                    + " unauthenticated use on a trusted network with --allow-unauthenticated");
        }
    }

    /** Which service a gRPC method belongs to, as a word for logs: "worker", "admin" or null (open). */
    public static String roleOf(String fullMethodName) {
        if (fullMethodName.startsWith(WORKER_SERVICE)) {
            return "worker";
        }
        if (fullMethodName.startsWith(ADMIN_SERVICE)) {
            return "admin";
        }
        return null;
    }

    /** Checks the token a call presented for {@code fullMethodName}. */
    public Verdict check(String fullMethodName, Optional<String> presented) {
        String role = roleOf(fullMethodName);
        if (role == null) {
            return Verdict.ALLOWED;
        }
        Optional<String> expected = role.equals("worker") ? workerToken : adminToken;
        if (expected.isEmpty()) {
            return allowUnauthenticated ? Verdict.ALLOWED : Verdict.MISSING;
        }
        if (presented.isEmpty()) {
            return Verdict.MISSING;
        }
        return BearerTokens.matches(expected.get(), presented.get()) ? Verdict.ALLOWED : Verdict.WRONG;
    }
}
