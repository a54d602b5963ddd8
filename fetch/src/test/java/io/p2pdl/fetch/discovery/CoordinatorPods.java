package io.p2pdl.fetch.discovery;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds coordinator pod objects the way the chart's StatefulSet would produce them. */
final class CoordinatorPods {

    static final String NAME = "app.kubernetes.io/name";
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String COMPONENT = "app.kubernetes.io/component";

    private String name = "coord-0";
    private String namespace = "p2pdl";
    private final Map<String, String> labels = new LinkedHashMap<>(Map.of(
            NAME, "p2pdl", INSTANCE, "rel", COMPONENT, "coordinator"));
    private String portName = "grpc";
    private int port = 7400;
    private String ip = "10.0.0.1";
    private boolean ready = true;

    static CoordinatorPods pod(String name) {
        CoordinatorPods p = new CoordinatorPods();
        p.name = name;
        return p;
    }

    /** The label selector the chart gives workers for release {@code release}. */
    static String selector(String release) {
        return NAME + "=p2pdl," + INSTANCE + "=" + release + "," + COMPONENT + "=coordinator";
    }

    CoordinatorPods namespace(String ns) {
        namespace = ns;
        return this;
    }

    CoordinatorPods label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    CoordinatorPods port(String portName, int port) {
        this.portName = portName;
        this.port = port;
        return this;
    }

    CoordinatorPods ip(String ip) {
        this.ip = ip;
        return this;
    }

    CoordinatorPods ready(boolean ready) {
        this.ready = ready;
        return this;
    }

    Pod build() {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                    .addNewContainer().withName("sidecar").withImage("busybox")
                        .addNewPort().withName("metrics").withContainerPort(9000).endPort()
                    .endContainer()
                    .addNewContainer().withName("coordinator").withImage("p2pdl")
                        .addNewPort().withName(portName).withContainerPort(port).endPort()
                    .endContainer()
                .endSpec()
                .withNewStatus()
                    .withPhase("Running")
                    .withPodIP(ip)
                    .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus()
                .build();
    }
}
