package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceJars;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.e2e.support.Services;
import io.p2pdl.fetch.testorigin.Behaviour;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian package {@code prometheus}) scrapes a real coordinator and worker
 * every second while they download a file from the test origin, with the chart's alert rules
 * loaded. Checks what users will see: the progress ratio rises and reaches 1, worker bytes add up
 * to the file (within endgame duplicates), origin errors are counted by code, the scrapes pass
 * {@code promtool check metrics}, and every dashboard and alert expression is accepted by this
 * Prometheus and names only metrics the services really export. Without the binaries the test
 * fails on CI ({@code CI=true}) and is skipped elsewhere.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusTest extends ProcessTest {

    private static final long MIB = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final Pattern METRIC_NAME = Pattern.compile("\\bp2pdl_[a-z0-9_]+");
    private static final Path CHART_FILES = ServiceJars.root().resolve("helm/p2pdl/files");

    /** Runs before the base class stops the services. */
    @AfterEach
    void stopPrometheus() {
        if (prometheusServer != null) {
            prometheusServer.close();
        }
    }

    @Test
    void prometheusSeesProgressReachOneAndWorkerBytesAddUpDuringARealDownload() throws Exception {
        Path prometheus = binary("prometheus");
        Path promtool = binary("promtool");
        // 64 chunks of 1 MiB, 300 ms of origin latency each, two at a time: the download lasts
        // several scrape intervals whatever the machine, so intermediate progress is scraped.
        long size = 64 * MIB;
        Content content = Content.pseudoRandom(77, size);
        Behaviour file = origin.serve("/big.bin", content).delayPerResponse(Duration.ofMillis(300));
        int coordinatorPort = FreePorts.next();
        ServiceProcess coordinator = services.coordinator(coordinatorPort, dir.resolve("data"), dir.resolve("state"));
        ServiceProcess worker = services.worker(coordinatorPort, 2);
        int workerPort = listeningPort(worker);

        startPrometheus(prometheus, services.httpPort(coordinatorPort), workerPort);
        int promPort = prometheusPort;
        Await.until("both targets up", Await.LONG,
                () -> query(promPort, "sum(up{job=~\"coordinator|worker\"})"), v -> v.equals(List.of(2.0)));

        Download submitted;
        try (AdminClient admin = new AdminClient(coordinatorPort)) {
            submitted = admin.submit(origin.url("/big.bin"), "big.bin", MIB);
            // After the probe: the next two worker requests are refused, as a busy origin would.
            file.status(503, 2);
            admin.awaitCompleted(submitted.getId(), Await.LONG);
        }
        String id = submitted.getId();
        String sel = "{download=\"" + id + "\"}";

        // The progress ratio, computed by Prometheus, reaches exactly 1.
        Await.until("progress ratio 1 in Prometheus", Await.LONG,
                () -> query(promPort, "p2pdl_download_completed_bytes" + sel + " / p2pdl_download_size_bytes" + sel),
                v -> v.equals(List.of(1.0)));
        // All bytes are in while the file is still VERIFYING: the state series follows at the next scrape.
        Await.until("state completed in Prometheus", Await.LONG,
                () -> query(promPort, "p2pdl_download_state{download=\"" + id + "\",state=\"completed\"}"),
                v -> v.equals(List.of(1.0)));
        assertEquals(List.of((double) size), query(promPort, "p2pdl_download_size_bytes" + sel));

        // Every scraped sample of completed bytes: never down, some strictly between 0 and the
        // size (so the ratio rose while the download ran), and the last one is the size.
        List<Double> samples = rangeSamples(promPort, "p2pdl_download_completed_bytes" + sel + "[10m]");
        for (int i = 1; i < samples.size(); i++) {
            assertTrue(samples.get(i) >= samples.get(i - 1), "completed bytes went down: " + samples);
        }
        assertTrue(samples.stream().anyMatch(v -> v > 0 && v < size), "no intermediate progress scraped: " + samples);
        assertEquals((double) size, samples.get(samples.size() - 1));

        // Worker bytes from the origin: every byte at least once, more only for endgame duplicates.
        double fetched = Await.until("worker bytes fetched scraped after completion", Await.LONG,
                () -> query(promPort, "sum(p2pdl_worker_fetched_bytes_total)").get(0), v -> v >= size);
        double duplicates = query(promPort, "sum(p2pdl_coordinator_endgame_duplicates_total)").get(0);
        assertTrue(fetched <= size + duplicates * MIB, "worker fetched " + fetched + " bytes; size " + size
                + " + " + duplicates + " endgame duplicates of 1 MiB");
        double written = Await.until("coordinator bytes written", Await.LONG,
                () -> query(promPort, "sum(p2pdl_coordinator_written_bytes_total)").get(0), v -> v >= size);
        assertTrue(written <= size + duplicates * MIB, "written " + written);
        assertEquals(List.of(2.0), query(promPort, "sum(p2pdl_worker_origin_responses_total{code=\"503\",class=\"5xx\"})"));
        assertEquals(List.of(2.0), query(promPort, "sum(p2pdl_worker_fetch_failures_total{kind=\"THROTTLED\"})"));
        // 56 chunks of 1 MiB and the tail's 32 pieces of 256 KiB (docs/chunk-state-machine.md).
        assertEquals(88, submitted.getChunksTotal());
        assertEquals(List.of(88.0), query(promPort, "sum(p2pdl_coordinator_chunks_received_total{outcome=\"accepted\"})"));

        // promtool check metrics on a real scrape of each service.
        String coordinatorScrape = scrape(services.httpPort(coordinatorPort));
        String workerScrape = scrape(workerPort);
        checkMetrics(promtool, "coordinator", coordinatorScrape);
        checkMetrics(promtool, "worker", workerScrape);

        // Every dashboard and alert expression is accepted by this Prometheus and names only
        // metrics the services export.
        Set<String> exported = new TreeSet<>();
        exported.addAll(sampleNames(coordinatorScrape));
        exported.addAll(sampleNames(workerScrape));
        Map<String, String> exprs = new LinkedHashMap<>(dashboardExpressions());
        exprs.putAll(ruleExpressions());
        assertTrue(exprs.size() > 10, exprs.toString());
        for (Map.Entry<String, String> e : exprs.entrySet()) {
            String expr = expandGrafanaVariables(e.getValue());
            JsonNode answer = api(promPort, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
            assertEquals("success", answer.path("status").asText(), e.getKey() + ": " + expr + " -> " + answer);
            Matcher m = METRIC_NAME.matcher(expr);
            while (m.find()) {
                assertTrue(exported.contains(m.group()), e.getKey() + " uses " + m.group()
                        + ", which neither service exports");
            }
        }

        // The alert rules loaded into this server evaluate without errors.
        Await.until("alert rules evaluated", Await.LONG, () -> ruleHealth(promPort),
                h -> !h.isEmpty() && h.stream().allMatch("ok"::equals));
        assertTrue(coordinator.isAlive() && worker.isAlive());
    }

    // ------------------------------------------------------------------ Prometheus

    private int prometheusPort;
    private ServiceProcess prometheusServer;

    /** The binary on PATH; missing: fail on CI, skip elsewhere. */
    static Path binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        String why = name + " is not installed (Debian: apt-get install prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + ", and CI=true: this test must run on CI");
        }
        Assumptions.abort(why + "; skipped outside CI");
        throw new IllegalStateException("unreachable");
    }

    private void startPrometheus(Path binary, int coordinatorPort, int workerPort) throws IOException {
        prometheusPort = FreePorts.next();
        Path rules = CHART_FILES.resolve("rules/p2pdl-alerts.yaml");
        String config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: coordinator
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: worker
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(rules, coordinatorPort, workerPort);
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        ServiceProcess p = ServiceProcess.start("prometheus", List.of(binary.toString(),
                "--config.file=" + configFile, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn"), dir,
                dir.resolve("logs/prometheus.log"), null);
        prometheusServer = p;
        Await.until("prometheus ready", Services.START_TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited:\n" + p.tail(30));
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    private static JsonNode api(int port, String pathAndQuery) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The values of an instant query's vector result (empty when nothing matches). */
    private static List<Double> query(int port, String promql) {
        JsonNode r = api(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(r.path("status").asText())) {
            throw new AssertionError(promql + " -> " + r);
        }
        List<Double> values = new ArrayList<>();
        r.path("data").path("result").forEach(s -> values.add(Double.parseDouble(s.path("value").get(1).asText())));
        return values;
    }

    /** The raw samples of a range selector (one series), oldest first. */
    private static List<Double> rangeSamples(int port, String rangeSelector) {
        JsonNode r = api(port, "/api/v1/query?query=" + URLEncoder.encode(rangeSelector, StandardCharsets.UTF_8));
        JsonNode result = r.path("data").path("result");
        assertEquals(1, result.size(), rangeSelector + " -> " + r);
        List<Double> values = new ArrayList<>();
        result.get(0).path("values").forEach(v -> values.add(Double.parseDouble(v.get(1).asText())));
        return values;
    }

    private static List<String> ruleHealth(int port) {
        List<String> health = new ArrayList<>();
        api(port, "/api/v1/rules").path("data").path("groups").forEach(g -> g.path("rules")
                .forEach(r -> health.add(r.path("health").asText() + (r.has("lastError")
                        && !r.path("lastError").asText().isEmpty() ? ": " + r.path("lastError").asText() : ""))));
        return health;
    }

    // ------------------------------------------------------------------ scrapes and expressions

    private static int listeningPort(ServiceProcess p) {
        return Await.until(p.name() + " port in its log", Services.START_TIMEOUT, () -> {
            try {
                Matcher m = LISTENING.matcher(Files.readString(p.log()));
                return m.find() ? Integer.parseInt(m.group(1)) : -1;
            } catch (IOException e) {
                return -1;
            }
        }, port -> port > 0);
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/metrics")).header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Names of the samples in a scrape (histograms as _bucket/_sum/_count, counters with _total). */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    /**
     * {@code promtool check metrics} on a scrape in the text format (what {@code Accept:
     * text/plain} gets): the whole scrape must parse, and no lint remark may concern a
     * {@code p2pdl_} family. Quarkus' and Micrometer's own meters draw remarks (camelCase gRPC
     * labels, missing help texts) that are not ours to fix, so promtool's exit code is not used.
     */
    private void checkMetrics(Path promtool, String service, String scrape) throws Exception {
        Path file = Files.writeString(dir.resolve(service + "-scrape.txt"), scrape);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(out.contains("error while linting"), service + " scrape does not parse:\n" + out);
        assertTrue(scrape.contains("\np2pdl_"), service + " exports no p2pdl_ metric");
        List<String> ours = out.lines().filter(l -> l.startsWith("p2pdl_")).toList();
        assertTrue(ours.isEmpty(), service + ": promtool check metrics on p2pdl_ families:\n" + String.join("\n", ours));
    }

    private static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> exprs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(CHART_FILES.resolve("dashboards"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                JsonNode d = JSON.readTree(Files.readString(f));
                for (JsonNode panel : d.path("panels")) {
                    for (JsonNode t : panel.path("targets")) {
                        exprs.put(f.getFileName() + ": " + panel.path("title").asText() + " / "
                                + t.path("refId").asText(), t.path("expr").asText());
                    }
                }
                for (JsonNode v : d.path("templating").path("list")) {
                    String q = v.path("query").path("query").asText();
                    Matcher m = Pattern.compile("label_values\\((\\w+),").matcher(q);
                    if (m.find()) {
                        exprs.put(f.getFileName() + ": variable " + v.path("name").asText(), m.group(1));
                    }
                }
            }
        }
        return exprs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> ruleExpressions() throws IOException {
        Map<String, String> exprs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(CHART_FILES.resolve("rules"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> doc = io.fabric8.kubernetes.client.utils.Serialization
                        .unmarshal(Files.readString(f), Map.class);
                for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
                    for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                        exprs.put(f.getFileName() + ": " + r.get("alert"), String.valueOf(r.get("expr")));
                    }
                }
            }
        }
        return exprs;
    }

    /** Grafana variables as Prometheus would see them: any download, a rate window. */
    static String expandGrafanaVariables(String expr) {
        return expr.replaceAll("\\$\\{?download\\}?", ".*").replaceAll("\\$__\\w+", "1m");
    }
}
