package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.WatchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two coordinator processes that know each other as peers: any of them answers for any download,
 * forwarding to the owner, and List on either shows both downloads.
 */
class ForwardingTest extends ProcessTest {

    @Test
    void callsAboutADownloadOwnedByThePeerReachTheOwner() {
        // Slow origin and no workers: downloads stay RUNNING while the calls are made.
        origin.serve("/a.bin", Content.pseudoRandom(1, 4L << 20)).delayPerResponse(Duration.ofMillis(50));
        origin.serve("/b.bin", Content.pseudoRandom(2, 4L << 20));
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        services.coordinator("alpha", portA, dir.resolve("a/data"), dir.resolve("a/state"),
                List.of("--peer", "127.0.0.1:" + portB));
        services.coordinator("beta", portB, dir.resolve("b/data"), dir.resolve("b/state"),
                List.of("--peer", "127.0.0.1:" + portA));

        try (AdminClient a = new AdminClient(portA); AdminClient b = new AdminClient(portB)) {
            Download ownedByA = a.submit(origin.url("/a.bin"), "a.bin", 0);
            Download ownedByB = b.submit(origin.url("/b.bin"), "b.bin", 0);
            assertTrue(ownedByA.getId().startsWith("alpha-"), ownedByA.getId());
            assertEquals("alpha", ownedByA.getOwner());

            Download viaB = b.get(ownedByA.getId());
            assertEquals(ownedByA.getId(), viaB.getId());
            assertEquals("alpha", viaB.getOwner(), "Get on the non-owner answers with the owner's status");

            for (AdminClient c : List.of(a, b)) {
                Set<String> listed = c.stub().list(ListRequest.getDefaultInstance()).getDownloadsList().stream()
                        .map(Download::getId).collect(Collectors.toSet());
                assertEquals(Set.of(ownedByA.getId(), ownedByB.getId()), listed, "List shows both downloads");
            }
            Set<String> localOnly = a.stub().list(ListRequest.newBuilder().setLocalOnly(true).build())
                    .getDownloadsList().stream().map(Download::getId).collect(Collectors.toSet());
            assertEquals(Set.of(ownedByA.getId()), localOnly);

            Download cancelled = b.stub().cancel(DownloadRef.newBuilder().setId(ownedByA.getId()).build());
            assertEquals(FailureReason.CANCELLED, cancelled.getFailureReason());
            assertEquals(FailureReason.CANCELLED, a.get(ownedByA.getId()).getFailureReason(),
                    "the cancel reached the owner");

            List<Download> watched = new ArrayList<>();
            b.stub().watch(WatchRequest.newBuilder().setId(ownedByA.getId()).setIntervalMs(100).build())
                    .forEachRemaining(watched::add);
            assertEquals(DownloadState.FAILED, watched.get(watched.size() - 1).getState(),
                    "Watch through the non-owner streams the owner's status to the end");
        }
    }
}
