package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginRefusedException;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.FetchFailureKind;
import java.net.URI;

/**
 * The worker side of the SSRF guard: before each ranged request the lease URL's host is
 * resolved and checked with this worker's own {@link OriginAddressPolicy}, whatever the
 * coordinator checked (its DNS answer may differ, or it may be compromised). A refusal is a
 * fatal ADDRESS_REFUSED failure: the chunk is released at once, not retried here.
 */
final class OriginGuard {

    private OriginGuard() {
    }

    static void check(OriginAddressPolicy policy, ChunkLease lease) throws FetchFailureException {
        URI uri;
        try {
            uri = URI.create(lease.getUrl());
        } catch (IllegalArgumentException e) {
            // RangeRequests reports it.
            return;
        }
        try {
            policy.check(uri);
        } catch (OriginRefusedException e) {
            throw new FetchFailureException(FetchFailureKind.ADDRESS_REFUSED, 0, e.getMessage());
        }
    }
}
