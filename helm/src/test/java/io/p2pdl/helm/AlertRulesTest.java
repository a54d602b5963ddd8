package io.p2pdl.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules in {@code files/rules/}: valid for Prometheus ({@code promtool check rules}),
 * every alert unit-tested ({@code promtool test rules}) with a case where it fires, and rendered
 * into the PrometheusRule exactly when enabled.
 */
class AlertRulesTest {

    static final Path RULES = HelmChart.SOURCE.resolve("files").resolve("rules");
    static final Set<String> REQUIRED = Set.of("P2pdlDownloadStalled", "P2pdlDownloadFailed",
            "P2pdlNoWorkersAvailable", "P2pdlHighOriginErrorRatio");

    static List<Path> files(String suffix) {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<String>> alertExpressions() {
        Map<String, List<String>> exprs = new java.util.TreeMap<>();
        for (Path file : files(".yaml")) {
            List<Map<String, Object>> groups = (List<Map<String, Object>>) HelmChart.readYamlMap(file).get("groups");
            for (Map<String, Object> group : groups) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    exprs.computeIfAbsent(String.valueOf(rule.get("alert")), k -> new ArrayList<>())
                            .add(String.valueOf(rule.get("expr")));
                }
            }
        }
        return exprs;
    }

    @Test
    void theRequiredAlertsExist() {
        assertTrue(alertExpressions().keySet().containsAll(REQUIRED), alertExpressions().keySet().toString());
    }

    @Test
    void ruleFilesPassPromtoolCheckRules() {
        List<Path> files = files(".yaml");
        assertFalse(files.isEmpty());
        for (Path file : files) {
            Promtool.Run run = Promtool.run(RULES, "check", "rules", file.getFileName().toString());
            assertTrue(run.ok(), file + ":\n" + run.output());
        }
    }

    @Test
    void ruleUnitTestsPassPromtoolTestRules() {
        List<Path> tests = files("_test.yml");
        assertFalse(tests.isEmpty(), "no *_test.yml next to the rules");
        for (Path test : tests) {
            Promtool.Run run = Promtool.run(RULES, "test", "rules", test.getFileName().toString());
            assertTrue(run.ok() && run.output().contains("SUCCESS"), test + ":\n" + run.output());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestCaseWhereItFires() {
        Set<String> firing = new TreeSet<>();
        for (Path test : files("_test.yml")) {
            for (Map<String, Object> t : (List<Map<String, Object>>) HelmChart.readYamlMap(test).get("tests")) {
                for (Map<String, Object> c : (List<Map<String, Object>>) t.getOrDefault("alert_rule_test", List.of())) {
                    List<?> expected = (List<?>) c.get("exp_alerts");
                    if (expected != null && !expected.isEmpty()) {
                        firing.add(String.valueOf(c.get("alertname")));
                    }
                }
            }
        }
        assertEquals(alertExpressions().keySet(), firing);
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusRuleCarriesTheRuleFilesOnlyWhenEnabled() {
        assertTrue(HelmChart.template((Path) null).kind("PrometheusRule").isEmpty(), "off by default");
        Rendered on = HelmChart.template(null, Map.of("metrics.prometheusRule.enabled", "true"));
        GenericKubernetesResource rule = (GenericKubernetesResource) on.kind("PrometheusRule").get(0);
        Map<String, List<String>> rendered = new java.util.TreeMap<>();
        List<Map<String, Object>> groups = rule.get("spec", "groups");
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                rendered.computeIfAbsent(String.valueOf(r.get("alert")), k -> new ArrayList<>())
                        .add(String.valueOf(r.get("expr")));
            }
        }
        assertEquals(alertExpressions(), rendered);
    }
}
