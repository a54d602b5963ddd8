package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.CliResult;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SSRF guard and redaction with real processes: a metadata URL is refused at submit, a worker
 * whose own policy refuses the origin fails the download with the reason, and the URL's token and
 * signature appear in no log, status or metric.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OriginPolicyTest extends ProcessTest {

    private static final String TOKEN = "tok-5ecret-value";
    private static final String SIGNATURE = "sig-5ecret-value";

    @Test
    void metadataUrlIsRefusedAndAWorkerRefusingTheOriginFailsTheDownloadWithoutLeakingSecrets() throws Exception {
        origin.serve("/signed.bin", Content.pseudoRandom(11, 3L << 20));
        int port = FreePorts.next();
        ServiceProcess coordinator = services.coordinator(port, dir.resolve("data"), dir.resolve("state"),
                "-Dp2pdl.coordinator.max-chunk-failures=2", "-Dp2pdl.coordinator.retry-backoff-initial=100MS");
        // No --allow-origin-cidr: this worker keeps the default policy and refuses the loopback origin.
        ServiceProcess worker = services.worker(port, 2, List.of());

        CliResult metadata = services.cli(dir, Duration.ofSeconds(60), "submit",
                "http://169.254.169.254/latest/meta-data/", "--coordinator", "127.0.0.1:" + port);
        assertEquals(2, metadata.exitCode(), metadata.output());
        assertTrue(metadata.stderr().contains("(ORIGIN_ADDRESS_REFUSED): origin host 169.254.169.254 resolves to"
                + " 169.254.169.254, which is a link-local/metadata address and is never fetched"), metadata.output());

        String url = origin.url("/signed.bin?X-Amz-Signature=" + SIGNATURE + "&token=" + TOKEN + "&part=1");
        Download failed;
        try (AdminClient admin = new AdminClient(port)) {
            Download submitted = admin.submit(url, "signed.bin", 0);
            assertEquals(origin.url("/signed.bin?X-Amz-Signature=***&token=***&part=1"), submitted.getUrl());
            failed = Await.until("download FAILED", Await.LONG, () -> admin.get(submitted.getId()),
                    d -> d.getState() == DownloadState.FAILED || d.getState() == DownloadState.COMPLETED);
        }
        assertEquals(FailureReason.ORIGIN_ADDRESS_REFUSED, failed.getFailureReason(), failed.getMessage());
        assertTrue(failed.getMessage().contains("origin host 127.0.0.1 resolves to a loopback address (127.0.0.1);"
                + " allow it with --allow-origin-cidr 127.0.0.0/8 or p2pdl.worker.origins.allowed-cidrs"),
                failed.getMessage());
        assertEquals(1, origin.bodyBytesServed("/signed.bin"), "only the coordinator's probe reached the origin");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + services.httpPort(port) + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("p2pdl_"), "metrics were scraped");
        for (String text : List.of(failed.toString(), metrics, Files.readString(coordinator.log()),
                Files.readString(worker.log()), metadata.output())) {
            assertFalse(text.contains(TOKEN), "token leaked:\n" + text);
            assertFalse(text.contains(SIGNATURE), "signature leaked:\n" + text);
        }
    }
}
