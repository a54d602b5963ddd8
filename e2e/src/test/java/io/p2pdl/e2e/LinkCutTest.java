package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.NetNs;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.RootOnly;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker in its own network namespace, joined to the host by a veth pair, loses its link to the
 * coordinator (and the origin) mid-download and gets it back: the download completes with the right
 * SHA-256. Root only (network namespaces).
 */
class LinkCutTest extends ProcessTest {

    private static final long SIZE = 16L << 20;
    private static final long CHUNK = 256 * 1024;

    @Test
    void workerWhoseLinkIsCutAndRestoredFinishesTheDownload() throws Exception {
        RootOnly.require("a network namespace for the worker");
        try (NetNs ns = NetNs.create();
                TestOrigin wan = TestOrigin.start(InetAddress.getByName(ns.hostAddress()), 0)) {
            Content content = Content.pseudoRandom(31, SIZE);
            wan.serve("/link-cut.bin", content).delayPerResponse(Duration.ofMillis(150));
            int port = FreePorts.next();
            Path data = dir.resolve("data");
            // Listening on the link's host address only; leases of the cut-off worker expire after 3 s.
            services.coordinator("e2e", port, data, dir.resolve("state"), List.of("--bind", ns.hostAddress(),
                    "--allow-origin-cidr", ns.hostAddress() + "/32"), "-Dp2pdl.coordinator.lease-ttl=3S");
            // A 5 s read-idle timeout, so connections that died with the link are noticed soon.
            services.workerUnder(ns.prefix(), ns.hostAddress() + ":" + port, 2,
                    List.of("--allow-origin-cidr", ns.hostAddress() + "/32"), "-Dp2pdl.worker.request-timeout=5S");

            try (AdminClient admin = new AdminClient(ns.hostAddress(), port)) {
                String id = admin.submit(wan.url("/link-cut.bin"), "link-cut.bin", CHUNK).getId();
                Download beforeCut = Await.until("eight chunks durable", Await.LONG, () -> admin.get(id),
                        d -> d.getChunksDone() >= 8 || d.getState() != DownloadState.RUNNING);
                assertEquals(DownloadState.RUNNING, beforeCut.getState(), "the cut must land mid-download: " + beforeCut);

                ns.linkDown();
                // The cut is felt once the worker's leases have expired and nothing more arrives.
                Download cut = Await.until("the worker's leases expired behind the cut link", Await.LONG,
                        () -> admin.get(id), d -> d.getChunksLeased() == 0);
                assertEquals(DownloadState.RUNNING, cut.getState(), "while the link is down: " + cut);
                assertTrue(cut.getChunksDone() < cut.getChunksTotal(), "complete although cut: " + cut);
                ns.linkUp();

                Download done = admin.awaitCompleted(id, Await.LONG);
                Path file = data.resolve("link-cut.bin");
                assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 after the link came back");
                assertEquals(content.sha256Hex(), done.getSha256());
                Files.delete(file);
            } finally {
                services.close();
            }
        }
    }
}
