package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * A rendered chart as typed Kubernetes objects (fabric8 model; kinds without a model class,
 * such as ServiceMonitor, come back as {@link GenericKubernetesResource}).
 */
record Rendered(String yaml, List<HasMetadata> resources) {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    static Rendered parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            resources.add(Serialization.unmarshal(document, HasMetadata.class));
        }
        return new Rendered(yaml, List.copyOf(resources));
    }

    /** Resources that Helm treats as hooks (here: the {@code helm test} pod). */
    List<HasMetadata> hooks() {
        return resources.stream().filter(Rendered::isHook).toList();
    }

    /** Everything but hooks: what {@code helm install} applies. */
    List<HasMetadata> manifests() {
        return resources.stream().filter(r -> !isHook(r)).toList();
    }

    static boolean isHook(HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(HelmChart.HOOK_MARKER);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> kind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(type.getSimpleName() + " " + name + " not rendered"));
    }

    /** Every pod template (workloads) and bare pod spec (test hooks, Jobs), by "Kind/name". */
    Map<String, PodSpec> podSpecs() {
        Map<String, PodSpec> specs = new LinkedHashMap<>();
        podTemplates().forEach((name, template) -> specs.put(name, template.getSpec()));
        for (Pod pod : all(Pod.class)) {
            specs.put("Pod/" + pod.getMetadata().getName(), pod.getSpec());
        }
        return specs;
    }

    /** Pod templates of the workloads, by "Kind/name". */
    Map<String, PodTemplateSpec> podTemplates() {
        Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
        for (HasMetadata resource : resources) {
            PodTemplateSpec template = null;
            if (resource instanceof StatefulSet s) {
                template = s.getSpec().getTemplate();
            } else if (resource instanceof Deployment d) {
                template = d.getSpec().getTemplate();
            } else if (resource instanceof DaemonSet d) {
                template = d.getSpec().getTemplate();
            } else if (resource instanceof Job j) {
                template = j.getSpec().getTemplate();
            }
            if (template != null) {
                templates.put(resource.getKind() + "/" + resource.getMetadata().getName(), template);
            }
        }
        return templates;
    }
}
