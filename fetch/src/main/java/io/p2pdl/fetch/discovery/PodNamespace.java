package io.p2pdl.fetch.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The namespace coordinators are looked for in: configured (the chart passes the pod's own
 * namespace from the downward API), else the namespace of the pod's service account, else the
 * Kubernetes client's namespace (kubeconfig context, when run outside a cluster).
 */
public final class PodNamespace {

    /** Mounted into every pod that has a service account token. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private PodNamespace() {
    }

    /**
     * @param configured the configured namespace ({@code p2pdl.worker.kubernetes.namespace} or {@code p2pdl.coordinator.kubernetes.namespace}), if set
     * @param serviceAccountFile where the service account namespace is mounted
     * @param clientNamespace the client's namespace (may supply null)
     * @throws IllegalStateException when no source names a namespace
     */
    public static String resolve(Optional<String> configured, Path serviceAccountFile, Supplier<String> clientNamespace) {
        Optional<String> fromConfig = configured.map(String::trim).filter(s -> !s.isEmpty());
        if (fromConfig.isPresent()) {
            return fromConfig.get();
        }
        Optional<String> fromFile = read(serviceAccountFile);
        if (fromFile.isPresent()) {
            return fromFile.get();
        }
        String fromClient = clientNamespace.get();
        if (fromClient != null && !fromClient.isBlank()) {
            return fromClient.trim();
        }
        throw new IllegalStateException("no namespace for coordinator discovery: configure kubernetes.namespace");
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file)
                    ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            // Unreadable is the same as absent: the next source decides.
            return Optional.empty();
        }
    }
}
