package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.OriginHttp;
import io.p2pdl.fetch.origin.OriginHttpOptions;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.FetchFailure;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's half of the SSRF guard (submitted URL, redirects, re-resolution, workers'
 * refusals) and the configurable redaction of URLs in status, messages and logs.
 */
class OriginPolicyServiceTest {

    private static final long MIB = 1024 * 1024;
    private static final String KEY = OriginAddressPolicy.COORDINATOR_KEY;

    @TempDir
    Path dir;
    private TestOrigin origin;
    private final List<DownloadService> services = new CopyOnWriteArrayList<>();
    private final Content content = Content.pseudoRandom(9, 3 * MIB);

    @BeforeEach
    void setUp() {
        origin = TestOrigin.start();
    }

    @AfterEach
    void tearDown() {
        services.forEach(DownloadService::close);
        origin.close();
    }

    private DownloadService service(List<String> allowed, UrlRedactor redactor) throws IOException {
        LeasePolicy lease = new LeasePolicy(Duration.ofSeconds(30), 1, Duration.ofMillis(1), Duration.ofMillis(5),
                3, Duration.ofMillis(100), Duration.ofSeconds(2));
        Path base = dir.resolve("s" + services.size());
        CoordinatorSettings settings = new CoordinatorSettings(base.resolve("data"), base.resolve("state"), "t", MIB,
                lease, Duration.ofMillis(20), Duration.ofSeconds(60)).withRedactor(redactor);
        RedirectingClient client = new RedirectingClient(OriginHttp.newClient(OriginHttpOptions.defaults()),
                Duration.ofSeconds(10), OriginAddressPolicy.parse(allowed, KEY), redactor);
        DownloadService s = new DownloadService(settings, new OriginProber(client, 2, Duration.ofMillis(10)), client);
        s.start();
        services.add(s);
        return s;
    }

    private static DownloadException refusedSubmit(DownloadService s, String url) {
        DownloadException e = assertThrows(DownloadException.class,
                () -> s.submit(SubmitRequest.newBuilder().setUrl(url).setOutputName("x").build()));
        assertEquals(DownloadException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertEquals(FailureReason.ORIGIN_ADDRESS_REFUSED, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void metadataAddressIsRefusedEvenWhenEverythingIsAllowed() throws Exception {
        DownloadService s = service(List.of("0.0.0.0/0", "::/0"), UrlRedactor.DEFAULT);
        assertEquals("origin host 169.254.169.254 resolves to 169.254.169.254, which is a link-local/metadata address"
                + " and is never fetched", refusedSubmit(s, "http://169.254.169.254/latest/meta-data/").getMessage());
        refusedSubmit(s, "http://[::ffff:169.254.169.254]/latest/meta-data/");
        refusedSubmit(s, "http://[fd00:ec2::254]/latest/meta-data/");
        refusedSubmit(s, "http://100.100.100.200/latest/meta-data/");
        refusedSubmit(s, "http://0.0.0.0:" + origin.port() + "/f");
        assertTrue(s.list().isEmpty());
    }

    @Test
    void loopbackOriginIsRefusedWithoutAllowListAndAcceptedWithIt() throws Exception {
        origin.serve("/f", content);
        DownloadException e = refusedSubmit(service(List.of(), UrlRedactor.DEFAULT), origin.url("/f"));
        assertEquals("origin host 127.0.0.1 resolves to a loopback address (127.0.0.1); allow it with"
                + " --allow-origin-cidr 127.0.0.0/8 or p2pdl.coordinator.origins.allowed-cidrs", e.getMessage());
        assertEquals(0, origin.requests("/f"), "a refused origin is never contacted");

        DownloadService allowed = service(List.of("127.0.0.0/8"), UrlRedactor.DEFAULT);
        Download d = allowed.submit(SubmitRequest.newBuilder().setUrl(origin.url("/f")).setOutputName("f").build());
        assertEquals(DownloadState.RUNNING, d.getState());
    }

    @Test
    void redirectToARefusedAddressIsNotFollowed() throws Exception {
        // Only 127.0.0.1 is allowed; the redirect points at another loopback address.
        String target = "http://127.0.0.2:" + origin.port() + "/real?sig=abc";
        origin.redirectAway("/start", target, 302);
        DownloadException e = refusedSubmit(service(List.of("127.0.0.1/32"), UrlRedactor.DEFAULT), origin.url("/start"));
        assertEquals("redirect to http://127.0.0.2:" + origin.port() + "/real?sig=*** refused: origin host 127.0.0.2"
                + " resolves to a loopback address (127.0.0.2); allow it with --allow-origin-cidr 127.0.0.0/8 or "
                + KEY, e.getMessage());
        assertEquals(1, origin.requests("/start"));
    }

    @Test
    void reResolutionLandingOnARefusedAddressFailsTheDownloadWithTheReason() throws Exception {
        DownloadService s = service(List.of("127.0.0.1/32"), UrlRedactor.DEFAULT);
        origin.serve("/f", content);
        Download d = s.submit(SubmitRequest.newBuilder().setUrl(origin.url("/f")).setOutputName("f").build());
        ChunkLease lease = new InTestWorker(s, "w").lease().orElseThrow();
        // The signed URL "expired" and now redirects somewhere the policy refuses.
        origin.redirectAway("/f", "http://127.0.0.2:" + origin.port() + "/elsewhere", 302);
        s.release(ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure
                .newBuilder().setKind(FetchFailureKind.FORBIDDEN).setHttpStatus(403).setMessage("403")).build());

        Download failed = awaitFailed(s, d.getId());
        assertEquals(FailureReason.ORIGIN_ADDRESS_REFUSED, failed.getFailureReason());
        assertTrue(failed.getMessage().startsWith("redirect to http://127.0.0.2:" + origin.port()
                + "/elsewhere refused: origin host 127.0.0.2 resolves to a loopback address"), failed.getMessage());
    }

    @Test
    void workersRefusingTheAddressFailTheDownloadWithThatReason() throws Exception {
        DownloadService s = service(List.of("127.0.0.0/8"), UrlRedactor.DEFAULT);
        origin.serve("/f", content);
        Download d = s.submit(SubmitRequest.newBuilder().setUrl(origin.url("/f")).setOutputName("f").build());
        InTestWorker w = new InTestWorker(s, "w");
        for (int i = 0; i < 3; i++) {
            ChunkLease lease = w.leaseChunk(0);
            s.release(ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure
                    .newBuilder().setKind(FetchFailureKind.ADDRESS_REFUSED).setMessage("origin host 127.0.0.1 resolves"
                            + " to a loopback address (127.0.0.1); allow it with ...")).build());
        }
        Download failed = s.get(d.getId());
        assertEquals(FailureReason.ORIGIN_ADDRESS_REFUSED, failed.getFailureReason());
        assertTrue(failed.getMessage().contains("loopback address"), failed.getMessage());
    }

    @Test
    void configuredQueryParameterIsRedactedInStatusMessagesAndLogs() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(DownloadService.class.getName());
        logger.addHandler(capture);
        try {
            DownloadService s = service(List.of("127.0.0.0/8"), UrlRedactor.withExtra(List.of("X-Custom-Auth")));
            origin.serve("/f", content);
            String url = origin.url("/f?X-Custom-Auth=s3cret-value&token=t0ken-value&page=2");
            Download d = s.submit(SubmitRequest.newBuilder().setUrl(url).build());
            assertEquals(origin.url("/f?X-Custom-Auth=***&token=***&page=2"), d.getUrl());
            assertEquals("f", d.getOutputName());
            InTestWorker w = new InTestWorker(s, "w");
            for (int i = 0; i < 3; i++) {
                ChunkLease lease = w.leaseChunk(0);
                // A worker (or an older one) quoting the URL in its failure message.
                s.release(ReleaseChunkRequest.newBuilder().setLeaseId(lease.getLeaseId()).setFailure(FetchFailure
                        .newBuilder().setKind(FetchFailureKind.TRANSIENT).setHttpStatus(500)
                        .setMessage("origin answered 500 for " + url)).build());
            }
            Download failed = s.get(d.getId());
            assertEquals(FailureReason.TOO_MANY_ERRORS, failed.getFailureReason());
            for (String shown : List.of(failed.toString(), s.list().toString(), String.join("\n", logged))) {
                assertFalse(shown.contains("s3cret-value"), shown);
                assertFalse(shown.contains("t0ken-value"), shown);
            }
            assertTrue(failed.getMessage().contains("X-Custom-Auth=***"), failed.getMessage());
            assertTrue(logged.stream().anyMatch(l -> l.contains("X-Custom-Auth=***")), logged.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static Download awaitFailed(DownloadService s, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        Download d = s.get(id);
        while (d.getState() != DownloadState.FAILED) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for FAILED; last status " + d);
            }
            Thread.sleep(10);
            d = s.get(id);
        }
        return d;
    }
}
