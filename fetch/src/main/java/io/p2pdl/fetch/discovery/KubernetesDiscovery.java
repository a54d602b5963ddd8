package io.p2pdl.fetch.discovery;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Finds coordinators by watching their pods through the Kubernetes API: an informer (one list,
 * then a watch; no polling) on Pods in exactly one namespace matching one label selector. A pod
 * counts while {@link CoordinatorPodFilter} accepts it: Ready, with an IP, not terminating, with
 * the named container port.
 *
 * <p>The informer starts in the constructor and does not block: until its first list arrives,
 * and while the API server cannot be reached, {@link #coordinators()} returns the last known set
 * (empty at first). Failures are retried for ever with the client's backoff and logged once per
 * outage. The client belongs to the caller; {@link #close()} only stops the informer.
 *
 * <p>Plain Java, no CDI: the worker builds one from configuration, and the coordinator may build
 * one to route download ids to the pods that own them ({@link #targetOf(String)}).
 */
public final class KubernetesDiscovery implements CoordinatorDiscovery {

    /** The container port name coordinator pods declare for gRPC. */
    public static final String DEFAULT_PORT_NAME = "grpc";

    private static final Logger LOG = Logger.getLogger(KubernetesDiscovery.class);

    private final String namespace;
    private final String selector;
    private final CoordinatorPodFilter filter;
    private final SharedIndexInformer<Pod> informer;
    private final CompletableFuture<Void> firstList;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Object publishLock = new Object();
    private volatile List<DiscoveredCoordinator> members = List.of();
    private volatile List<CoordinatorTarget> targets = List.of();

    /** Watches pods with the default port name {@value #DEFAULT_PORT_NAME}. */
    public KubernetesDiscovery(KubernetesClient client, String namespace, String labelSelector) {
        this(client, namespace, labelSelector, DEFAULT_PORT_NAME);
    }

    /**
     * Starts watching.
     *
     * @param client the API client (not closed by this class)
     * @param namespace the only namespace looked at
     * @param labelSelector Kubernetes label selector, e.g.
     *     {@code app.kubernetes.io/instance=rel,app.kubernetes.io/component=coordinator}; must not
     *     be blank, since an empty selector would treat every pod in the namespace as a coordinator
     * @param portName name of the container port serving gRPC
     */
    public KubernetesDiscovery(KubernetesClient client, String namespace, String labelSelector, String portName) {
        Objects.requireNonNull(client, "client");
        this.namespace = requireNonBlank(namespace, "namespace");
        this.selector = requireNonBlank(labelSelector, "label selector");
        this.filter = new CoordinatorPodFilter(portName);
        this.informer = client.pods().inNamespace(this.namespace).withLabelSelector(this.selector)
                // Resync 0: the watch delivers every change; periodic resyncs would only repeat them.
                .runnableInformer(0);
        // The default handler gives up when the first list fails (say RBAC is not applied yet, or
        // the API server restarts): a worker should instead keep its last view and recover.
        informer.exceptionHandler((started, error) -> {
            onFailure(error);
            return true;
        });
        informer.addEventHandler(new Handler());
        firstList = informer.start().toCompletableFuture();
    }

    @Override
    public List<CoordinatorTarget> coordinators() {
        return targets;
    }

    /** The current coordinators with their pod names, sorted by pod name. */
    public List<DiscoveredCoordinator> members() {
        return members;
    }

    /** Where the coordinator running in pod {@code podName} listens, if it is currently usable. */
    public Optional<CoordinatorTarget> targetOf(String podName) {
        for (DiscoveredCoordinator m : members) {
            if (m.podName().equals(podName)) {
                return Optional.of(m.target());
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code listener} after every change of {@link #members()}, on the informer's event
     * thread: it must be quick and must not block. Exceptions it throws are logged and ignored.
     */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether the watch is currently established (false before the first list and during outages). */
    public boolean watching() {
        return informer.isWatching();
    }

    /**
     * Waits up to {@code timeout} for the first complete list of pods; true once it arrived. Never
     * needed for correctness (the view simply starts empty), but handy for tests and for callers
     * that prefer to start with a full view.
     */
    public boolean awaitFirstList(Duration timeout) throws InterruptedException {
        try {
            firstList.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return informer.hasSynced();
        }
    }

    /** The namespace watched. */
    public String namespace() {
        return namespace;
    }

    /** The label selector applied. */
    public String selector() {
        return selector;
    }

    @Override
    public void close() {
        informer.stop();
    }

    /** Rebuilds the view from the informer's cache, which holds only pods the selector matched. */
    private void republish() {
        synchronized (publishLock) {
            List<DiscoveredCoordinator> now = informer.getStore().list().stream()
                    .map(filter::member)
                    .flatMap(Optional::stream)
                    .sorted(Comparator.comparing(DiscoveredCoordinator::podName))
                    .toList();
            if (now.equals(members)) {
                return;
            }
            members = now;
            targets = now.stream().map(DiscoveredCoordinator::target).distinct().toList();
            LOG.infof("coordinator pods in %s (%s): %s", namespace, selector, describe(now));
        }
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("coordinator discovery listener failed", e);
            }
        }
    }

    private void onFailure(Throwable error) {
        if (failing.compareAndSet(false, true)) {
            LOG.warnf("cannot watch coordinator pods in namespace %s (%s): %s; keeping the %d known, retrying%s",
                    namespace, selector, error.getMessage(), members.size(), hint(error));
        } else {
            LOG.debugf("still cannot watch coordinator pods: %s", error.getMessage());
        }
    }

    private void onEvent() {
        if (failing.compareAndSet(true, false)) {
            LOG.infof("watching coordinator pods in namespace %s again", namespace);
        }
        republish();
    }

    private static String hint(Throwable error) {
        if (error instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403)) {
            return " (the service account needs get, list and watch on pods in this namespace)";
        }
        return "";
    }

    private static String describe(List<DiscoveredCoordinator> members) {
        return members.isEmpty() ? "none"
                : String.join(", ", members.stream().map(m -> m.podName() + "=" + m.target()).toList());
    }

    private static String requireNonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("coordinator discovery: " + what + " is empty");
        }
        return value.trim();
    }

    /** Every informer callback recomputes the view: the cache is small, the rules live in one place. */
    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            onEvent();
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            onEvent();
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            onEvent();
        }

        @Override
        public void onNothing() {
            onEvent();
        }
    }
}
