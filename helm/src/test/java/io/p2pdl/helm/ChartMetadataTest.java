package io.p2pdl.helm;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chart.yaml and values.yaml as files: what the renders cannot show.
 */
class ChartMetadataTest {

    /** Values passed through verbatim as Kubernetes objects: their inner keys are that object's. */
    static final Set<String> PASS_THROUGH = Set.of("podSecurityContext", "securityContext", "resources",
            "nodeSelector", "tolerations", "affinity", "podAnnotations", "podLabels", "annotations",
            "additionalLabels", "extraEnv", "extraIngress", "relabelings", "additionalGroups", "accessModes");

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9]*):(.*)$");

    @Test
    void chartIsApiV2ForKubernetes125AndLater() {
        Map<String, Object> chart = HelmChart.readYamlMap(HelmChart.SOURCE.resolve("Chart.yaml"));
        assertEquals("v2", chart.get("apiVersion"));
        assertEquals("p2pdl", chart.get("name"));
        assertEquals("0.1.0", chart.get("version"));
        assertEquals("0.1.0", chart.get("appVersion"));
        assertEquals(">=1.25.0-0", chart.get("kubeVersion"));
    }

    @Test
    void everyValuesKeyHasADocComment() {
        List<String> lines = HelmChart.readString(HelmChart.SOURCE.resolve("values.yaml")).lines().toList();
        List<String> undocumented = new ArrayList<>();
        Deque<String[]> parents = new ArrayDeque<>(); // {indent, key}
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) {
                parents.pop();
            }
            boolean insidePassThrough = parents.stream().anyMatch(p -> PASS_THROUGH.contains(p[1]));
            parents.push(new String[] {String.valueOf(indent), m.group(2)});
            if (insidePassThrough) {
                continue;
            }
            int j = i - 1;
            while (j >= 0 && lines.get(j).trim().startsWith("#") && !lines.get(j).trim().startsWith("# --")) {
                j--;
            }
            if (j < 0 || !lines.get(j).trim().startsWith("# --")) {
                undocumented.add((i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertEquals(List.of(), undocumented);
    }

    @Test
    void valuesStartWithNameOverridesThenCoordinatorWorkerAndMetricsBlocks() {
        List<String> topLevel = HelmChart.readString(HelmChart.SOURCE.resolve("values.yaml")).lines()
                .map(KEY::matcher).filter(Matcher::matches).filter(m -> m.group(1).isEmpty()).map(m -> m.group(2)).toList();
        assertEquals(List.of("nameOverride", "fullnameOverride", "coordinator", "worker"), topLevel.subList(0, 4));
        assertEquals("metrics", topLevel.get(topLevel.size() - 1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void featuresThatNeedClusterExtrasAreOffByDefault() {
        Map<String, Object> values = HelmChart.readYamlMap(HelmChart.SOURCE.resolve("values.yaml"));
        Map<String, Object> metrics = (Map<String, Object>) values.get("metrics");
        for (String feature : List.of("serviceMonitor", "prometheusRule", "dashboards")) {
            assertEquals(false, ((Map<String, Object>) metrics.get(feature)).get("enabled"), feature);
        }
        Map<String, Object> worker = (Map<String, Object>) values.get("worker");
        assertEquals(false, ((Map<String, Object>) worker.get("hpa")).get("enabled"));
        assertEquals(false, ((Map<String, Object>) values.get("networkPolicy")).get("enabled"));
        assertEquals(Map.of(), worker.get("resources"));
        assertEquals(Map.of(), ((Map<String, Object>) values.get("coordinator")).get("resources"));
    }

    @Test
    void selectorHelpersNeverMentionTheChartVersion() {
        String helpers = HelmChart.readString(HelmChart.SOURCE.resolve("templates/_helpers.tpl"));
        for (String helper : List.of("p2pdl.selectorLabels", "p2pdl.coordinator.selectorLabels", "p2pdl.worker.selectorLabels")) {
            int start = helpers.indexOf("define \"" + helper + "\"");
            assertTrue(start >= 0, helper);
            String body = helpers.substring(start, helpers.indexOf("{{- end }}", start));
            assertTrue(!body.contains("Chart.Version") && !body.contains("p2pdl.chart") && !body.contains("AppVersion"), body);
        }
        for (String helper : List.of("p2pdl.name", "p2pdl.fullname", "p2pdl.chart", "p2pdl.labels",
                "p2pdl.selectorLabels", "p2pdl.coordinator.fullname", "p2pdl.worker.fullname", "p2pdl.image")) {
            int define = helpers.indexOf("{{- define \"" + helper + "\"");
            assertTrue(define > 0 && helpers.substring(0, define).trim().endsWith("*/}}"), helper + " has a comment");
        }
    }
}
