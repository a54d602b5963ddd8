package io.p2pdl.e2e.support;

import java.util.Map;

/** The tokens of the test installation, given to every child process and every admin client. */
public final class Tokens {

    public static final String WORKER = "e2e-worker-token";
    public static final String ADMIN = "e2e-admin-token";
    /** Environment of every child process. */
    static final Map<String, String> ENV = Map.of("P2PDL_WORKER_TOKEN", WORKER, "P2PDL_ADMIN_TOKEN", ADMIN);

    private Tokens() {
    }
}
