package io.p2pdl.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2pdl.coordinator.download.ChunkReceiver;
import io.p2pdl.coordinator.download.CoordinatorSettings;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.TransferException;
import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FetchFailure;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferTrailer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's meters against a real download service, fed by a worker played in the test. */
class DownloadMetricsTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;
    private TestOrigin origin;
    private DownloadService service;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Content content = Content.pseudoRandom(7, 3 * MIB - 5);

    @BeforeEach
    void setUp() throws IOException {
        origin = TestOrigin.start();
        origin.serve("/f", content);
        LeasePolicy policy = new LeasePolicy(Duration.ofSeconds(30), 1, Duration.ofMillis(1), Duration.ofMillis(5),
                3, Duration.ofMillis(100), Duration.ofSeconds(2));
        CoordinatorSettings settings = new CoordinatorSettings(dir.resolve("data"), dir.resolve("state"), "t", MIB,
                policy, Duration.ofMillis(20), Duration.ofSeconds(60));
        // The test origin is on loopback, which the default origin policy refuses.
        RedirectingClient client = new RedirectingClient(OriginHttp.newClient(OriginHttpOptions.defaults()),
                Duration.ofSeconds(10), io.p2pdl.fetch.origin.OriginAddressPolicy.parse(java.util.List.of("127.0.0.0/8"),
                        io.p2pdl.fetch.origin.OriginAddressPolicy.COORDINATOR_KEY),
                io.p2pdl.fetch.origin.UrlRedactor.DEFAULT);
        service = new DownloadService(settings, new OriginProber(client, 2, Duration.ofMillis(10)), client,
                new CoordinatorMetrics(registry));
        service.start();
    }

    @AfterEach
    void tearDown() {
        service.close();
        origin.close();
    }

    private DownloadMetrics metrics(Duration retention) {
        return new DownloadMetrics(registry, service, () -> retention);
    }

    private Download submit() throws InterruptedException {
        return service.submit(SubmitRequest.newBuilder().setUrl(origin.url("/f")).setOutputName("f.bin").build());
    }

    private Double gauge(String name, String download, String... tags) {
        Gauge g = registry.find(name).tag("download", download).tags(tags).gauge();
        return g == null ? null : g.value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    /** Plays a worker until the download is complete: lease, deliver, repeat. */
    private void deliverAll(String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (service.get(id).getChunksDone() + service.get(id).getChunksLeased() < service.get(id).getChunksTotal()
                || service.get(id).getChunksQueued() > 0) {
            Optional<ChunkLease> lease = service.lease("w1");
            if (lease.isPresent()) {
                deliver(lease.get(), true);
            } else if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no lease; last " + service.get(id));
            } else {
                Thread.sleep(5);
            }
        }
    }

    /** Plays a worker: the lease's bytes from the content, with a CRC that is right unless told. */
    private void deliver(ChunkLease l, boolean goodCrc) throws TransferException {
        byte[] bytes = content.read(l.getOffset(), Math.toIntExact(l.getLength()));
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        ChunkReceiver receiver = service.receiver();
        receiver.accept(TransferFrame.newBuilder().setHeader(TransferHeader.newBuilder().setLeaseId(l.getLeaseId())
                .setDownloadId(l.getDownloadId()).setChunkIndex(l.getChunkIndex()).setOffset(l.getOffset())
                .setLength(l.getLength()).setWorkerId("w1")).build());
        for (int off = 0; off < bytes.length; off += ChunkReceiver.MAX_FRAME) {
            int n = Math.min(ChunkReceiver.MAX_FRAME, bytes.length - off);
            receiver.accept(TransferFrame.newBuilder().setData(ByteString.copyFrom(bytes, off, n)).build());
        }
        int trailer = goodCrc ? (int) crc.getValue() : (int) crc.getValue() + 1;
        receiver.accept(TransferFrame.newBuilder().setTrailer(TransferTrailer.newBuilder().setCrc32C(trailer)).build());
    }

    private Download awaitState(String id, DownloadState state) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        Download d = service.get(id);
        while (d.getState() != state) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + state + "; last " + d);
            }
            Thread.sleep(10);
            d = service.get(id);
        }
        return d;
    }

    @Test
    void perDownloadGaugesFollowTheDownloadToCompletion() throws Exception {
        DownloadMetrics metrics = metrics(Duration.ofHours(1));
        String id = submit().getId();
        metrics.syncSeries();
        assertEquals(content.size(), gauge("p2pdl.download.size", id, "name", "f.bin"));
        assertEquals(0.0, gauge("p2pdl.download.completed", id));
        assertEquals(3.0, gauge("p2pdl.download.chunks", id, "state", "queued"));
        assertEquals(1.0, gauge("p2pdl.download.state", id, "state", "running"));
        assertEquals(0.0, gauge("p2pdl.download.completion.time", id));
        assertTrue(gauge("p2pdl.download.start.time", id) > 1.7e9, "seconds since the epoch");

        deliverAll(id);
        awaitState(id, DownloadState.COMPLETED);
        metrics.syncSeries();
        assertEquals(content.size(), gauge("p2pdl.download.completed", id));
        assertEquals(3.0, gauge("p2pdl.download.chunks", id, "state", "done"));
        assertEquals(0.0, gauge("p2pdl.download.chunks", id, "state", "queued"));
        assertEquals(1.0, gauge("p2pdl.download.state", id, "state", "completed"));
        assertEquals(0.0, gauge("p2pdl.download.state", id, "state", "running"));
        assertTrue(gauge("p2pdl.download.completion.time", id) >= gauge("p2pdl.download.start.time", id));
        assertEquals(1.0, registry.get("p2pdl.downloads").tag("state", "completed").gauge().value());
        assertEquals(1, registry.get("p2pdl.coordinator.download.duration").timer().count());
    }

    @Test
    void tokensAndSignaturesInTheUrlNeverBecomeLabels() throws Exception {
        DownloadMetrics metrics = metrics(Duration.ofHours(1));
        String id = service.submit(SubmitRequest.newBuilder()
                .setUrl(origin.url("/f?X-Amz-Signature=sig-s3cret&token=tok-s3cret")).build()).getId();
        deliverAll(id);
        awaitState(id, DownloadState.COMPLETED);
        metrics.syncSeries();
        StringBuilder everything = new StringBuilder();
        registry.getMeters().forEach(m -> everything.append(m.getId()).append('\n'));
        assertTrue(everything.indexOf(id) >= 0, "per-download series exist: " + everything);
        assertTrue(everything.indexOf("s3cret") < 0, everything.toString());
    }

    @Test
    void perDownloadSeriesAreRemovedOnceATerminalDownloadIsPastRetention() throws Exception {
        DownloadMetrics metrics = metrics(Duration.ZERO);
        String id = submit().getId();
        metrics.syncSeries();
        assertNotNull(gauge("p2pdl.download.completed", id), "a running download is always exported");
        service.cancel(id);
        metrics.syncSeries();
        assertNull(gauge("p2pdl.download.completed", id));
        assertNull(gauge("p2pdl.download.state", id, "state", "failed"));
        assertTrue(metrics.exported().isEmpty());
        assertEquals(1.0, registry.get("p2pdl.downloads").tag("state", "failed").gauge().value(),
                "the totals still count it");
    }

    @Test
    void transfersAreCountedAsAcceptedOrRejectedByReasonAndBytesWritten() throws Exception {
        metrics(Duration.ofHours(1));
        String id = submit().getId();
        ChunkLease first = service.lease("w1").orElseThrow();
        try {
            deliver(first, false);
            throw new AssertionError("a wrong CRC must be refused");
        } catch (TransferException expected) {
            // refused; the worker gives the lease back so the chunk is queued again
            service.release(ReleaseChunkRequest.newBuilder().setLeaseId(first.getLeaseId()).setWorkerId("w1")
                    .setFailure(FetchFailure.newBuilder().setKind(FetchFailureKind.TRANSIENT)).build());
        }
        assertEquals(1.0, counter("p2pdl.coordinator.chunks.rejected", "reason", "CHECKSUM_MISMATCH"));
        deliverAll(id);
        awaitState(id, DownloadState.COMPLETED);
        assertEquals(3.0, counter("p2pdl.coordinator.chunks.received", "outcome", "accepted"));
        assertEquals(0.0, counter("p2pdl.coordinator.chunks.received", "outcome", "duplicate"));
        // The refused transfer's bytes were written too (then rewritten): bytes written counts both.
        double written = registry.get("p2pdl.coordinator.written").counter().count();
        assertTrue(written >= content.size() && written <= content.size() + MIB, "written " + written);
        assertEquals(3, registry.get("p2pdl.coordinator.chunk.transfer.duration").timer().count());
        assertEquals(1.0, registry.get("p2pdl.coordinator.workers.seen").gauge().value());
    }
}
