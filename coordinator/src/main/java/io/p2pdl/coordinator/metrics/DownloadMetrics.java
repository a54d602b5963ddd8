package io.p2pdl.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Per-download gauges ({@code p2pdl_download_*}, labels {@code download} and {@code name}), the
 * number of downloads by state, and the lease table's counters. Values are read from a snapshot
 * of the download list taken at most {@link #MAX_SNAPSHOT_AGE_NANOS} before a scrape reads them,
 * so one scrape sees consistent numbers; a loop adds the series of new downloads every second
 * and removes them {@link MetricsConfig#retention()} after a download ends.
 */
@Singleton
public class DownloadMetrics {

    private static final Logger LOG = Logger.getLogger(DownloadMetrics.class);
    private static final long MAX_SNAPSHOT_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The states a download can be in, as label values. */
    static final List<DownloadState> STATES = List.of(DownloadState.RUNNING, DownloadState.PAUSED,
            DownloadState.VERIFYING, DownloadState.COMPLETED, DownloadState.FAILED);

    private final MeterRegistry registry;
    private final DownloadService downloads;
    private final SeriesRetention retention;
    private final Map<String, List<Meter>> perDownload = new HashMap<>();
    private ScheduledExecutorService loop;
    /** Guards the snapshot only: scrapes take it, never the registry's or this object's monitor. */
    private final Object snapshotLock = new Object();
    private Map<String, Download> snapshot = Map.of();
    private long snapshotNanos;
    private boolean haveSnapshot;

    DownloadMetrics(MeterRegistry registry, DownloadService downloads, MetricsConfig config) {
        this.registry = registry;
        this.downloads = downloads;
        this.retention = new SeriesRetention(config.retention());
        LeaseTable leases = downloads.leases();
        FunctionCounter.builder("p2pdl.coordinator.lease.expirations", leases, LeaseTable::expirations)
                .description("Leases that expired without a transfer frame for a whole TTL").register(registry);
        FunctionCounter.builder("p2pdl.coordinator.endgame.duplicates", leases, LeaseTable::endgameDuplicates)
                .description("Extra leases handed out on late chunks in the endgame").register(registry);
        for (DownloadState state : STATES) {
            Gauge.builder("p2pdl.downloads", this, m -> m.countInState(state)).strongReference(true)
                    .tag("state", label(state)).description("Downloads this coordinator holds, by state")
                    .register(registry);
        }
    }

    void onStart(@Observes StartupEvent event) {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pdl-metrics");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::syncSeries, 0, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    static String label(DownloadState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Adds the series of downloads that should have them and removes those past retention. */
    synchronized void syncSeries() {
        try {
            Map<String, Download> now = refresh(true);
            long nowMs = System.currentTimeMillis();
            for (Download d : now.values()) {
                if (retention.keep(d, nowMs) && !perDownload.containsKey(d.getId())) {
                    perDownload.put(d.getId(), register(d));
                }
            }
            for (String id : new ArrayList<>(perDownload.keySet())) {
                Download d = now.get(id);
                if (d == null || !retention.keep(d, nowMs)) {
                    perDownload.remove(id).forEach(registry::remove);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("updating per-download metrics failed", e);
        }
    }

    /** Downloads with series now (for tests). */
    synchronized List<String> exported() {
        return List.copyOf(perDownload.keySet());
    }

    private List<Meter> register(Download d) {
        Tags tags = Tags.of("download", d.getId(), "name", d.getOutputName());
        String id = d.getId();
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("p2pdl.download.size", "bytes", tags, id, Download::getSizeBytes,
                "Size of the file (-1 while unknown: a single stream without Content-Length)"));
        meters.add(gauge("p2pdl.download.completed", "bytes", tags, id, Download::getCompletedBytes,
                "Bytes of the file durably written"));
        meters.add(gauge("p2pdl.download.chunks", null, tags.and("state", "queued"), id, Download::getChunksQueued,
                "Chunks by state"));
        meters.add(gauge("p2pdl.download.chunks", null, tags.and("state", "leased"), id, Download::getChunksLeased,
                "Chunks by state"));
        meters.add(gauge("p2pdl.download.chunks", null, tags.and("state", "done"), id, Download::getChunksDone,
                "Chunks by state"));
        meters.add(gauge("p2pdl.download.chunks", null, tags.and("state", "failed"), id,
                v -> v.getState() == DownloadState.FAILED ? v.getChunksTotal() - v.getChunksDone() : 0,
                "Chunks by state"));
        meters.add(gauge("p2pdl.download.active.workers", null, tags, id, Download::getActiveWorkers,
                "Distinct workers holding a live lease on the download"));
        meters.add(gauge("p2pdl.download.start.time", "seconds", tags, id, v -> v.getCreatedAtUnixMs() / 1000.0,
                "When the download was submitted, seconds since the epoch"));
        meters.add(gauge("p2pdl.download.completion.time", "seconds", tags, id,
                v -> v.getFinishedAtUnixMs() / 1000.0,
                "When the download completed or failed, seconds since the epoch (0 while not terminal)"));
        for (DownloadState state : STATES) {
            meters.add(gauge("p2pdl.download.state", null, tags.and("state", label(state)), id,
                    v -> v.getState() == state ? 1 : 0, "1 for the download's current state, 0 for the others"));
        }
        return meters;
    }

    private Gauge gauge(String name, String unit, Tags tags, String id, ToDoubleFunction<Download> value,
            String help) {
        return Gauge.builder(name, this, m -> m.value(id, value)).strongReference(true).tags(tags).baseUnit(unit)
                .description(help).register(registry);
    }

    private double value(String id, ToDoubleFunction<Download> f) {
        Download d = refresh(false).get(id);
        return d == null ? Double.NaN : f.applyAsDouble(d);
    }

    private double countInState(DownloadState state) {
        return refresh(false).values().stream().filter(d -> d.getState() == state).count();
    }

    /** The current snapshot, taken again when older than the limit (or always when forced). */
    private Map<String, Download> refresh(boolean force) {
        synchronized (snapshotLock) {
            long now = System.nanoTime();
            if (force || !haveSnapshot || now - snapshotNanos > MAX_SNAPSHOT_AGE_NANOS) {
                Map<String, Download> next = new HashMap<>();
                for (Download d : downloads.list()) {
                    next.put(d.getId(), d);
                }
                snapshot = next;
                snapshotNanos = now;
                haveSnapshot = true;
            }
            return snapshot;
        }
    }
}
