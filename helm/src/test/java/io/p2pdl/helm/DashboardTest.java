package io.p2pdl.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards in {@code files/dashboards/}: valid JSON with the download variable and
 * the panels the issue asks for, every PromQL expression accepted by Prometheus' parser (through
 * {@code promtool check rules} on a rule file made of them), and one ConfigMap per dashboard for
 * the Grafana sidecar exactly when enabled. That the expressions name only metrics the services
 * really export is checked against real scrapes by {@code e2e/PrometheusTest}.
 */
class DashboardTest {

    static final Path DASHBOARDS = HelmChart.SOURCE.resolve("files").resolve("dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Every target expression by "panel title / refId". */
    static Map<String, String> expressions(JsonNode dashboard) {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.put(panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        return exprs;
    }

    /** Grafana's variables replaced by what Prometheus would see: any download, a rate window. */
    static String expand(String expr) {
        return expr.replaceAll("\\$\\{?download\\}?", ".*").replaceAll("\\$__\\w+", "5m");
    }

    @Test
    void dashboardsAreValidJsonWithADownloadVariableAndTheRequiredPanels() {
        List<Path> files = dashboards();
        assertFalse(files.isEmpty());
        JsonNode d = read(DASHBOARDS.resolve("p2pdl.json"));
        List<String> variables = new ArrayList<>();
        d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.contains("download"), variables.toString());
        List<String> titles = new ArrayList<>();
        d.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        for (String required : List.of("Progress per download", "Throughput (written by coordinators)",
                "Throughput per worker", "ETA per download", "Chunks by state", "Origin errors by code",
                "Active workers and coordinators", "Lease expirations and endgame duplicates")) {
            assertTrue(titles.contains(required), "missing panel " + required + " in " + titles);
        }
        Set<Integer> ids = new java.util.HashSet<>();
        d.path("panels").forEach(p -> assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p));
        for (Path file : files) {
            JsonNode dashboard = read(file);
            assertFalse(dashboard.path("uid").asText().isEmpty(), file + " has no uid");
            expressions(dashboard).forEach((where, expr) -> assertFalse(expr.isBlank(), where + " has no expr"));
        }
    }

    @Test
    void everyDashboardExpressionParses() throws IOException {
        for (Path file : dashboards()) {
            StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
            int n = 0;
            for (String expr : expressions(read(file)).values()) {
                rules.append("      - record: dashboard:expr").append(n++).append('\n')
                        .append("        expr: ").append(JSON.writeValueAsString(expand(expr))).append('\n');
            }
            Path ruleFile = Files.writeString(tmp.resolve("exprs.yaml"), rules.toString());
            Promtool.Run run = Promtool.run(tmp, "check", "rules", ruleFile.getFileName().toString());
            assertTrue(run.ok(), file + ": an expression does not parse:\n" + run.output() + "\n" + rules);
            assertTrue(run.output().contains("SUCCESS: " + n + " rules found"), run.output());
        }
    }

    @Test
    void oneLabelledConfigMapPerDashboardOnlyWhenEnabled() throws IOException {
        assertTrue(HelmChart.template((Path) null).all(ConfigMap.class).isEmpty(), "off by default");
        Rendered on = HelmChart.template(null, Map.of("metrics.dashboards.enabled", "true"));
        List<ConfigMap> maps = on.all(ConfigMap.class);
        assertEquals(dashboards().size(), maps.size());
        ConfigMap map = on.named(ConfigMap.class, "rel-p2pdl-dashboard-p2pdl");
        assertEquals("1", map.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(JSON.readTree(Files.readString(DASHBOARDS.resolve("p2pdl.json"))),
                JSON.readTree(map.getData().get("p2pdl.json")), "the ConfigMap carries the file unchanged");
    }
}
