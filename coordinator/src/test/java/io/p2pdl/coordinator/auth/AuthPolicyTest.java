package io.p2pdl.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.auth.AuthPolicy.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthPolicyTest {

    private static final String GET_CHUNK = "p2pdl.v1.Downloader/GetChunk";
    private static final String SUBMIT = "p2pdl.v1.Downloads/Submit";
    private final AuthPolicy policy = new AuthPolicy(Optional.of("w-token"), Optional.of("a-token"), false);

    @Test
    void eachServiceOpensOnlyWithItsOwnToken() {
        assertEquals(Verdict.ALLOWED, policy.check(GET_CHUNK, Optional.of("w-token")));
        assertEquals(Verdict.ALLOWED, policy.check(SUBMIT, Optional.of("a-token")));
        assertEquals(Verdict.WRONG, policy.check(GET_CHUNK, Optional.of("a-token")), "admin token is no worker token");
        assertEquals(Verdict.WRONG, policy.check(SUBMIT, Optional.of("w-token")), "worker token is no admin token");
        assertEquals(Verdict.MISSING, policy.check(SUBMIT, Optional.empty()));
    }

    @Test
    void healthNeedsNoToken() {
        assertEquals(Verdict.ALLOWED, policy.check("grpc.health.v1.Health/Check", Optional.empty()));
    }

    @Test
    void missingTokensRefuseToStartUnlessUnauthenticatedUseIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AuthPolicy(Optional.of("w"), Optional.empty(), false));
        assertTrue(e.getMessage().startsWith("no admin token: set P2PDL_WORKER_TOKEN"), e.getMessage());
        AuthPolicy open = new AuthPolicy(Optional.empty(), Optional.empty(), true);
        assertEquals(Verdict.ALLOWED, open.check(SUBMIT, Optional.empty()));
    }

    @Test
    void aConfiguredTokenIsRequiredEvenWhenUnauthenticatedUseIsAllowedForTheOther() {
        AuthPolicy half = new AuthPolicy(Optional.of("w"), Optional.empty(), true);
        assertEquals(Verdict.MISSING, half.check(GET_CHUNK, Optional.empty()));
        assertEquals(Verdict.ALLOWED, half.check(SUBMIT, Optional.empty()));
    }
}
