package io.p2pdl.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test, driven through helm-java (real Helm, in process, no cluster).
 */
final class HelmChart {

    /** The chart's sources, from the build (system property) or relative to the module. */
    static final Path SOURCE = Path.of(System.getProperty("p2pdl.helm.chart", "p2pdl")).toAbsolutePath().normalize();

    /**
     * Annotation that replaces {@code helm.sh/hook} in the rendered copy: helm-java's template
     * returns the release manifest only, without hooks, so the copy turns the test hook into
     * an ordinary manifest marked with this annotation ({@link Rendered#hooks()}).
     */
    static final String HOOK_MARKER = "p2pdl.io/helm-hook";

    /**
     * What the tests render: a copy of the chart that differs in two ways only. It has no
     * {@code kubeVersion} constraint: helm-java 0.0.15 embeds a Helm that renders for
     * Kubernetes v1.20.0 and has no {@code --kube-version}, so it would refuse the chart's
     * {@code >=1.25.0-0} ({@code ChartMetadataTest} checks the constraint itself). And its
     * {@code helm.sh/hook} annotations are renamed to {@link #HOOK_MARKER}.
     */
    static final Path DIR = prepareRenderableCopy(Path.of("target", "chart").toAbsolutePath(), "p2pdl");

    /** Release name and namespace used by the tests unless a test says otherwise. */
    static final String RELEASE = "rel";
    static final String NAMESPACE = "downloads";

    private HelmChart() {
    }

    /** The `ci/*-values.yaml` scenarios, sorted by name. */
    static List<Path> scenarios() {
        try (Stream<Path> files = Files.list(SOURCE.resolve("ci"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path scenario(String name) {
        return SOURCE.resolve("ci").resolve(name + "-values.yaml");
    }

    /** {@code helm template rel --namespace downloads -f <values> --set k=v ...}. */
    static Rendered template(Path valuesFile, Map<String, String> sets) {
        return Rendered.parse(templateYaml(DIR, RELEASE, valuesFile, sets));
    }

    static Rendered template(Path valuesFile) {
        return template(valuesFile, Map.of());
    }

    static Rendered template(String scenario) {
        return template(scenario(scenario));
    }

    /** The NOTES.txt Helm prints after an install (a client-only dry-run install). */
    static String notes(Path valuesFile) {
        ApiServer.start();
        InstallCommand install = new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE)
                .dryRun().clientOnly();
        if (valuesFile != null) {
            install = install.withValuesFile(valuesFile);
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("no NOTES in the install output:\n" + output);
        }
        return output.substring(notes + "NOTES:".length());
    }

    static String templateYaml(Path chart, String release, Path valuesFile, Map<String, String> sets) {
        return templateYaml(chart, release, NAMESPACE, valuesFile, sets);
    }

    static String templateYaml(Path chart, String release, String namespace, Path valuesFile, Map<String, String> sets) {
        ApiServer.start();
        TemplateCommand command = new Helm(chart).template().withName(release).withNamespace(namespace);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    /**
     * {@code helm lint} with a scenario's values. helm-java's lint takes no values file, so the
     * chart is copied to {@code target/} with the scenario merged into its values.yaml (maps
     * deep-merged, everything else replaced: Helm's own rule). Lint does not compare
     * kubeVersion with a cluster version, so the chart's own Chart.yaml is linted.
     */
    static LintResult lint(Path valuesFile) {
        Path copy = Path.of("target", "lint", valuesFile.getFileName().toString().replace("-values.yaml", ""), "p2pdl");
        copyTree(SOURCE, copy);
        Map<String, Object> defaults = readYamlMap(SOURCE.resolve("values.yaml"));
        Map<String, Object> merged = deepMerge(defaults, readYamlMap(valuesFile));
        writeString(copy.resolve("values.yaml"), Serialization.asYaml(merged));
        ApiServer.start();
        return new Helm(copy).lint().strict().call();
    }

    /** Copies the chart to {@code parent/name} with the two changes described at {@link #DIR}. */
    static Path prepareRenderableCopy(Path parent, String name) {
        Path copy = parent.resolve(name);
        copyTree(SOURCE, copy);
        Path chartYaml = copy.resolve("Chart.yaml");
        writeString(chartYaml, readString(chartYaml).replaceAll("(?m)^kubeVersion:.*\\R", ""));
        try (Stream<Path> tests = Files.list(copy.resolve("templates").resolve("tests"))) {
            for (Path test : tests.toList()) {
                writeString(test, readString(test).replace("helm.sh/hook:", HOOK_MARKER + ":"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYamlMap(Path file) {
        try {
            Object parsed = Serialization.unmarshal(Files.readString(file), Map.class);
            return parsed == null ? new LinkedHashMap<>() : (Map<String, Object>) parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object current = result.get(key);
            if (current instanceof Map && value instanceof Map) {
                result.put(key, deepMerge((Map<String, Object>) current, (Map<String, Object>) value));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    static void copyTree(Path from, Path to) {
        try {
            if (Files.exists(to)) {
                try (Stream<Path> old = Files.walk(to)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(from)) {
                sources = new ArrayList<>(walk.toList());
            }
            for (Path source : sources) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
