package io.p2pdl.worker.discovery;

import java.util.Locale;

/** How the worker finds coordinators. Configured as {@code static} or {@code kubernetes}. */
public enum DiscoveryMode {

    /** A fixed list from {@code p2pdl.worker.coordinators} / {@code --coordinator}. */
    STATIC,

    /** Ready coordinator pods found through the Kubernetes API (namespace + label selector). */
    KUBERNETES;

    /** Parses {@code static} or {@code kubernetes}, in any case. */
    public static DiscoveryMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "static" -> STATIC;
            case "kubernetes" -> KUBERNETES;
            default -> throw new IllegalArgumentException("discovery must be static or kubernetes, got '" + value + "'");
        };
    }

    /** The configuration spelling, {@code static} or {@code kubernetes}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
