package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.lease.Lease;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.coordinator.lease.ReleaseOutcome;
import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.coordinator.plan.ChunkPlanner;
import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.OriginUrls;
import io.p2pdl.coordinator.probe.ProbeException;
import io.p2pdl.coordinator.probe.ProbeResult;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.coordinator.store.DownloadStore;
import io.p2pdl.coordinator.store.Journal;
import io.p2pdl.proto.state.v1.ChunksDone;
import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.FetchFailure;
import io.p2pdl.proto.v1.FetchFailureKind;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.Header;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The coordinator's downloads: submit (validate, probe, plan, journal, preallocate), lease chunks to
 * workers, make written chunks durable in batches, finish (verify, rename), fail with a reason, and
 * recover everything from the journals after a restart. Framework-free; the gRPC services are thin
 * adapters over it.
 */
public final class DownloadService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DownloadService.class);
    /** Failure reasons after which Resume may continue from where the download stopped. */
    static final Set<FailureReason> RESUMABLE = EnumSet.of(FailureReason.ORIGIN_NOT_FOUND,
            FailureReason.ORIGIN_FORBIDDEN, FailureReason.DISK_FULL, FailureReason.TOO_MANY_ERRORS,
            FailureReason.CANCELLED, FailureReason.ORIGIN_UNREACHABLE, FailureReason.INTERNAL,
            FailureReason.ORIGIN_ADDRESS_REFUSED);
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int SINGLE_STREAM_ATTEMPTS = 3;

    private final CoordinatorSettings settings;
    private final LeaseTable leases;
    private final DownloadStore store;
    private final OutputNames names;
    private final OriginProber prober;
    private final RedirectingClient client;
    private final ChunkPlanner planner;
    private final TransferEvents events;
    private final Map<String, DownloadRecord> downloads = new ConcurrentHashMap<>();
    private final Map<String, SingleStreamFetch> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "p2pdl-durability"));
    private final ExecutorService background = Executors.newCachedThreadPool(r -> daemon(r, "p2pdl-background"));
    /** Hashes the done prefix of running downloads ahead of verification; one thread, downloads in turn. */
    private final ExecutorService hashAhead = Executors.newSingleThreadExecutor(r -> daemon(r, "p2pdl-hash-ahead"));
    private final SecureRandom random = new SecureRandom();
    /** Set when the service shuts down: from then on nothing is failed, so restart recovers as is. */
    private volatile boolean closing;
    /** GetChunk calls waiting for work (long poll). */
    private final WorkWaiters waiters = new WorkWaiters(new WorkWaiters.Leaser() {
        @Override
        public Optional<ChunkLease> lease(String workerId) {
            return DownloadService.this.lease(workerId);
        }

        @Override
        public long retryAfterNanos(String workerId) {
            return TimeUnit.MILLISECONDS.toNanos(retryAfterMs(workerId));
        }

        @Override
        public void giveBack(ChunkLease lease) {
            leases.release(lease.getLeaseId(), false, 0);
        }
    }, System::nanoTime);

    public DownloadService(CoordinatorSettings settings, OriginProber prober, RedirectingClient client)
            throws IOException {
        this(settings, prober, client, TransferEvents.NONE);
    }

    /** As above, reporting transfers and completions to {@code events} (the metrics hook). */
    public DownloadService(CoordinatorSettings settings, OriginProber prober, RedirectingClient client,
            TransferEvents events) throws IOException {
        this.settings = settings;
        this.events = events;
        this.leases = new LeaseTable(settings.lease(), System::nanoTime);
        this.store = new DownloadStore(settings.stateDir());
        this.names = new OutputNames(settings.dataDir());
        this.prober = prober;
        this.client = client;
        this.planner = new ChunkPlanner(settings.defaultChunkSize());
        leases.onAllWritten(id -> flushSoon());
        leases.onWorkAvailable(waiters::wake);
    }

    /** Runs a flush now rather than at the next period: the last chunk of a download was written. */
    private void flushSoon() {
        try {
            scheduler.execute(this::flushAll);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: the close flushes.
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Recovers downloads from the state directory and starts the expiry and durability loops. */
    public void start() throws IOException {
        for (DownloadStore.Loaded loaded : store.loadAll()) {
            recover(loaded);
        }
        long fsync = Math.max(settings.fsyncInterval().toMillis(), 10);
        scheduler.scheduleWithFixedDelay(this::flushAll, fsync, fsync, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::expireLeases, 1, 1, TimeUnit.SECONDS);
    }

    public LeaseTable leases() {
        return leases;
    }

    /** The settings this service runs with (directories, lease tunables). */
    public CoordinatorSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- admin API

    /** Validates, probes and starts a download. */
    public Download submit(SubmitRequest req) throws InterruptedException {
        URI url;
        try {
            url = OriginUrls.parse(req.getUrl());
        } catch (IllegalArgumentException e) {
            throw DownloadException.invalid(e.getMessage());
        }
        SubmitChecks.checkHeaders(req.getHeadersList());
        SubmitChecks.checkChecksum(req);
        if (req.getChunkSizeBytes() < 0) {
            throw DownloadException.invalid("chunk size must be positive");
        }
        try {
            planner.plan(0, req.getChunkSizeBytes());
        } catch (IllegalArgumentException e) {
            throw DownloadException.invalid(e.getMessage());
        }
        if (!req.getOutputName().isEmpty()) {
            names.resolve(req.getOutputName());
        }
        ProbeResult probe = probe(url, req.getHeadersList());
        String name = req.getOutputName().isEmpty()
                ? OutputNames.derive(probe.fileName(), OriginUrls.withoutUserInfo(url), probe.finalUrl())
                : req.getOutputName();
        Path target = names.resolve(name);
        ChunkPlan plan;
        try {
            plan = probe.ranges() ? planner.plan(probe.size(), req.getChunkSizeBytes()) : null;
        } catch (IllegalArgumentException e) {
            throw DownloadException.invalid(e.getMessage());
        }
        DownloadRecord r;
        if (probe.size() > settings.maxFileSize()) {
            throw DownloadException.invalid("file of " + probe.size() + " bytes is larger than the limit of "
                    + settings.maxFileSize() + " bytes (p2pdl.coordinator.limits.max-file-size)");
        }
        synchronized (this) {
            checkActiveLimit();
            checkNameFree(name, target, req.getOverwrite());
            checkSpace(target, probe.size());
            String id = newId();
            DownloadCreated.Builder created = DownloadCreated.newBuilder().setId(id).setUrl(req.getUrl().trim())
                    .setOutputName(name).addAllHeaders(req.getHeadersList()).setOverwrite(req.getOverwrite())
                    .setSizeBytes(probe.size()).setChunkSizeBytes(plan == null ? 0 : plan.chunkSize())
                    .setTailChunks(plan == null ? 0 : plan.tailChunks())
                    .setRanges(probe.ranges()).setFinalUrl(probe.finalUrl().toString())
                    .setValidator(probe.validator()).setCreatedAtUnixMs(System.currentTimeMillis())
                    .setOwner(settings.nodeName()).setNote(noteFor(probe));
            if (req.hasChecksum()) {
                created.setChecksum(req.getChecksum().toBuilder().setHex(req.getChecksum().getHex().toLowerCase()));
            }
            Journal journal;
            try {
                journal = store.create(id, JournalRecord.newBuilder().setCreated(created).build());
            } catch (IOException e) {
                throw new DownloadException(DownloadException.Kind.INTERNAL, FailureReason.INTERNAL,
                        "cannot write state: " + e.getMessage());
            }
            r = new DownloadRecord(id, created.build(), plan, target, journal);
            r.startClock();
            downloads.put(id, r);
        }
        LOG.infof("download %s: %s -> %s (%s)", r.id, settings.redactor().redact(req.getUrl()), name,
                plan == null ? "single stream" : plan.size() + " bytes in " + plan.chunkCount() + " chunks");
        if (openPart(r, true)) {
            begin(r);
        }
        return view(r);
    }

    private static String noteFor(ProbeResult probe) {
        if (!probe.note().isEmpty()) {
            return probe.note();
        }
        boolean noValidator = probe.validator().getEtag().isEmpty() && probe.validator().getLastModified().isEmpty();
        if (noValidator) {
            return "origin sends no ETag or Last-Modified: a change during the download cannot be detected"
                    + " (give --checksum to be sure)";
        }
        // A weak ETag cannot go into If-Range (RFC 9110 13.1.5) and may stay the same when bytes change.
        boolean weakOnly = probe.validator().getEtagWeak() && probe.validator().getLastModified().isEmpty();
        return weakOnly ? "origin sends only a weak ETag: a change of bytes during the download may go undetected"
                + " (give --checksum to be sure)" : "";
    }

    private ProbeResult probe(URI url, List<Header> headers) throws InterruptedException {
        try {
            return prober.probe(url, headers);
        } catch (ProbeException e) {
            if (e.reason() == FailureReason.ORIGIN_ADDRESS_REFUSED) {
                throw new DownloadException(DownloadException.Kind.INVALID_ARGUMENT, e.reason(), e.getMessage());
            }
            throw new DownloadException(e.isTransient() ? DownloadException.Kind.UNAVAILABLE
                    : DownloadException.Kind.FAILED_PRECONDITION, e.reason(), e.getMessage());
        }
    }

    private void checkActiveLimit() {
        long active = downloads.values().stream().filter(d -> !d.terminal()).count();
        if (active >= settings.maxActiveDownloads()) {
            throw new DownloadException(DownloadException.Kind.RESOURCE_EXHAUSTED,
                    FailureReason.FAILURE_REASON_UNSPECIFIED, "this coordinator already runs " + active
                    + " downloads, its limit (p2pdl.coordinator.limits.max-active-downloads); try again later");
        }
    }

    private void checkNameFree(String name, Path target, boolean overwrite) {
        for (DownloadRecord other : downloads.values()) {
            if (!other.target.equals(target)) {
                continue;
            }
            boolean blocks = !other.terminal() || (other.state() == DownloadState.FAILED && !overwrite);
            if (blocks) {
                throw new DownloadException(DownloadException.Kind.ALREADY_EXISTS,
                        FailureReason.FAILURE_REASON_UNSPECIFIED, "output name '" + name + "' is used by download "
                        + other.id + " (" + other.state().name().toLowerCase() + ")");
            }
        }
        if (Files.isDirectory(target)) {
            throw DownloadException.invalid("output name '" + name + "' is a directory");
        }
        if (Files.exists(target) && !overwrite) {
            throw new DownloadException(DownloadException.Kind.ALREADY_EXISTS, FailureReason.FAILURE_REASON_UNSPECIFIED,
                    "'" + name + "' already exists in the data directory (use --overwrite to replace it)");
        }
    }

    private void checkSpace(Path target, long size) {
        if (size <= 0) {
            return;
        }
        try {
            long usable = Files.getFileStore(names.dataDir()).getUsableSpace();
            if (size > usable) {
                throw new DownloadException(DownloadException.Kind.RESOURCE_EXHAUSTED, FailureReason.INSUFFICIENT_SPACE,
                        "file of " + size + " bytes does not fit: " + usable + " bytes free in the data directory");
            }
        } catch (IOException e) {
            LOG.warnf("cannot check free space for %s: %s", target, e.getMessage());
        }
    }

    private String newId() {
        while (true) {
            StringBuilder b = new StringBuilder(settings.nodeName()).append('-');
            for (int i = 0; i < 10; i++) {
                b.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            if (!downloads.containsKey(b.toString())) {
                return b.toString();
            }
        }
    }

    public Download get(String id) {
        return view(require(id));
    }

    /** All downloads, newest first. */
    public List<Download> list() {
        List<DownloadRecord> all = new ArrayList<>(downloads.values());
        all.sort(Comparator.comparingLong((DownloadRecord r) -> r.created.getCreatedAtUnixMs()).reversed()
                .thenComparing(r -> r.id));
        List<Download> out = new ArrayList<>(all.size());
        for (DownloadRecord r : all) {
            out.add(view(r));
        }
        return out;
    }

    public Download cancel(String id) {
        DownloadRecord r = require(id);
        if (!r.terminal()) {
            fail(r, FailureReason.CANCELLED, "cancelled by a user");
        }
        return view(r);
    }

    public Download pause(String id) {
        DownloadRecord r = require(id);
        synchronized (r) {
            if (r.state() != DownloadState.RUNNING) {
                throw new DownloadException(DownloadException.Kind.FAILED_PRECONDITION,
                        FailureReason.FAILURE_REASON_UNSPECIFIED, "download " + id + " is " + stateName(r)
                        + ", only a running download can be paused");
            }
            if (r.chunked()) {
                leases.setActive(id, false);
            } else {
                stopStream(r);
            }
            transition(r, DownloadState.PAUSED, FailureReason.FAILURE_REASON_UNSPECIFIED, r.chunked() ? ""
                    : "paused: the single stream will restart from byte 0");
        }
        return view(r);
    }

    /** Continues a paused download, or retries a failed one when its reason allows. */
    public Download resume(String id) throws InterruptedException {
        DownloadRecord r = require(id);
        DownloadState state = r.state();
        if (state == DownloadState.RUNNING || state == DownloadState.VERIFYING) {
            return view(r);
        }
        if (state == DownloadState.COMPLETED) {
            throw new DownloadException(DownloadException.Kind.FAILED_PRECONDITION,
                    FailureReason.FAILURE_REASON_UNSPECIFIED, "download " + id + " is already completed");
        }
        if (state == DownloadState.PAUSED) {
            synchronized (r) {
                transition(r, DownloadState.RUNNING, FailureReason.FAILURE_REASON_UNSPECIFIED, r.created.getNote());
                if (r.chunked()) {
                    leases.setActive(id, true);
                } else {
                    startStream(r);
                }
            }
            return view(r);
        }
        if (!RESUMABLE.contains(r.reason())) {
            throw new DownloadException(DownloadException.Kind.FAILED_PRECONDITION, r.reason(), "download " + id
                    + " cannot be resumed after " + r.reason().name() + "; submit it again with --overwrite");
        }
        if (r.chunked() && r.reason() != FailureReason.DISK_FULL && r.reason() != FailureReason.CANCELLED) {
            ProbeResult probe = probe(URI.create(r.created.getUrl()), r.created.getHeadersList());
            if (!sameVersion(r, probe)) {
                fail(r, FailureReason.ORIGIN_CHANGED, "origin now serves another version of the file");
                return view(r);
            }
            if (!probe.finalUrl().toString().equals(r.finalUrl())) {
                try {
                    r.resolvedAgain(probe.finalUrl().toString());
                } catch (IOException e) {
                    throw new DownloadException(DownloadException.Kind.INTERNAL, FailureReason.INTERNAL,
                            "cannot write state: " + e.getMessage());
                }
            }
        }
        synchronized (r) {
            if (r.state() != DownloadState.FAILED) {
                return view(r);
            }
            transition(r, DownloadState.RUNNING, FailureReason.FAILURE_REASON_UNSPECIFIED, r.created.getNote());
        }
        LOG.infof("download %s: resumed", id);
        if (openPart(r, !r.chunked())) {
            begin(r);
        }
        return view(r);
    }

    private static boolean sameVersion(DownloadRecord r, ProbeResult probe) {
        Validator was = r.created.getValidator();
        Validator now = probe.validator();
        boolean etagOk = was.getEtag().isEmpty() || now.getEtag().isEmpty() || was.getEtag().equals(now.getEtag());
        boolean dateOk = was.getLastModified().isEmpty() || now.getLastModified().isEmpty()
                || was.getLastModified().equals(now.getLastModified());
        return etagOk && dateOk && probe.ranges() && probe.size() == r.created.getSizeBytes();
    }

    /** The download's status, for Watch; null when unknown. */
    public Download viewOrNull(String id) {
        DownloadRecord r = downloads.get(id);
        return r == null ? null : view(r);
    }

    private Download view(DownloadRecord r) {
        return DownloadViews.toProto(r, r.chunked() ? leases.countsIfRegistered(r.id) : Optional.empty(),
                settings.redactor());
    }

    private DownloadRecord require(String id) {
        DownloadRecord r = downloads.get(id);
        if (r == null) {
            throw DownloadException.notFound(id);
        }
        return r;
    }

    DownloadRecord record(String id) {
        return downloads.get(id);
    }

    // ---------------------------------------------------------------- worker API

    /** A lease for {@code workerId}, or empty when there is no work now. */
    public Optional<ChunkLease> lease(String workerId) {
        return lease(workerId, false);
    }

    /** As above; {@code queuedOnly}: a queued chunk or nothing, never an endgame duplicate. */
    private Optional<ChunkLease> lease(String workerId, boolean queuedOnly) {
        events.workerSeen(workerId);
        while (true) {
            Optional<Lease> lease = leases.acquire(workerId, queuedOnly);
            if (lease.isEmpty()) {
                return Optional.empty();
            }
            Lease l = lease.get();
            DownloadRecord r = downloads.get(l.downloadId());
            if (r == null) {
                leases.release(l.leaseId(), false, 0);
                continue;
            }
            long ttl = settings.lease().ttl().toMillis();
            return Optional.of(ChunkLease.newBuilder().setLeaseId(l.leaseId()).setDownloadId(l.downloadId())
                    .setChunkIndex(l.chunk()).setOffset(l.offset()).setLength(l.length()).setUrl(r.finalUrl())
                    .setValidator(r.created.getValidator()).addAllHeaders(headersFor(r, URI.create(r.finalUrl())))
                    .setExpiresAtUnixMs(System.currentTimeMillis() + ttl).setTtlMs(ttl).setDuplicate(l.duplicate())
                    .build());
        }
    }

    /**
     * A lease for {@code workerId}; without one, the call waits up to {@code waitMs} (at most 10 s)
     * for work to appear (long poll) and then answers "no work".
     */
    public CompletableFuture<GetChunkResponse> getChunk(String workerId, long waitMs) {
        return getChunk(workerId, waitMs, false);
    }

    /**
     * As above; {@code ahead} (a slot that frees up when one of the worker's bodies ends): a queued
     * chunk or NoWork at once, never an endgame duplicate (those must start now) and no waiting.
     */
    public CompletableFuture<GetChunkResponse> getChunk(String workerId, long waitMs, boolean ahead) {
        if (ahead) {
            return CompletableFuture.completedFuture(lease(workerId, true).map(WorkWaiters::leased)
                    .orElseGet(() -> WorkWaiters.noWork(TimeUnit.MILLISECONDS.toNanos(retryAfterMs(workerId)))));
        }
        return waiters.getChunk(workerId, TimeUnit.MILLISECONDS.toNanos(waitMs));
    }

    /** GetChunk calls waiting for work now (long polls not yet answered). */
    int waitingForWork() {
        return waiters.waiting();
    }

    /** Milliseconds {@code workerId}, just refused work, should wait (longer when it is at its lease cap). */
    public long retryAfterMs(String workerId) {
        return Math.max(TimeUnit.NANOSECONDS.toMillis(leases.retryAfterNanos(workerId)), 50);
    }

    /** Submitted headers (plus Basic auth from URL credentials) when {@code to} is the submitted origin. */
    static List<Header> headersFor(DownloadRecord r, URI to) {
        URI submitted = URI.create(r.created.getUrl());
        if (!OriginUrls.sameOrigin(submitted, to)) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(r.created.getHeadersList());
        boolean hasAuth = headers.stream().anyMatch(h -> h.getName().equalsIgnoreCase("Authorization"));
        OriginUrls.basicAuthorization(submitted).filter(b -> !hasAuth)
                .ifPresent(b -> headers.add(Header.newBuilder().setName("Authorization").setValue(b).build()));
        return headers;
    }

    static URI originOf(String submittedUrl) {
        return OriginUrls.withoutUserInfo(URI.create(submittedUrl));
    }

    /** A new receiver for one TransferChunk stream. */
    public ChunkReceiver receiver() {
        return new ChunkReceiver(this, leases, events);
    }

    /** A worker gave a lease back: requeue, re-resolve the URL, or fail the download. */
    public void release(ReleaseChunkRequest req) {
        Optional<Lease> lease = leases.find(req.getLeaseId());
        if (lease.isEmpty()) {
            return;
        }
        DownloadRecord r = downloads.get(lease.get().downloadId());
        FetchFailure f = req.getFailure();
        String what = "chunk " + lease.get().chunk() + ": " + settings.redactor().redactText(f.getMessage());
        switch (f.getKind()) {
            case WORKER_STOPPING -> leases.release(req.getLeaseId(), false, 0);
            case CHANGED -> {
                leases.release(req.getLeaseId(), false, 0);
                if (r != null) {
                    fail(r, FailureReason.ORIGIN_CHANGED, what);
                }
            }
            case NOT_FOUND, FORBIDDEN -> {
                // Leasing stops before the chunk is requeued: workers woken by the requeue (long
                // polls) must not fetch the refused URL again and count as refused after re-resolving.
                if (r != null) {
                    reResolve(r, lease.get(), f.getKind(), what);
                }
                leases.release(req.getLeaseId(), false, 0);
            }
            default -> {
                long retryAfter = TimeUnit.MILLISECONDS.toNanos(Math.max(f.getRetryAfterMs(), 0));
                if (leases.release(req.getLeaseId(), true, retryAfter) == ReleaseOutcome.TOO_MANY_FAILURES
                        && r != null) {
                    // Workers refusing the origin's address (their own policy, or DNS now answering
                    // differently) is said as such; another worker may still have fetched the chunk.
                    FailureReason reason = f.getKind() == FetchFailureKind.ADDRESS_REFUSED
                            ? FailureReason.ORIGIN_ADDRESS_REFUSED : FailureReason.TOO_MANY_ERRORS;
                    fail(r, reason, what + " (failed " + settings.lease().maxChunkFailures() + " times in a row)");
                }
            }
        }
    }

    /**
     * Resolves the submitted URL again after a 401/403/404 on the resolved one (signed URLs expire).
     * At most once per interval: a refusal of a lease issued after the last re-resolution, within
     * the interval, fails the download.
     */
    private void reResolve(DownloadRecord r, Lease lease, FetchFailureKind kind, String what) {
        FailureReason reason = kind == FetchFailureKind.FORBIDDEN ? FailureReason.ORIGIN_FORBIDDEN
                : FailureReason.ORIGIN_NOT_FOUND;
        synchronized (r) {
            if (r.reResolving || lease.issuedAtNanos() < r.lastReResolveNanos) {
                return;
            }
            long now = System.nanoTime();
            if (r.lastReResolveNanos != 0 && now - r.lastReResolveNanos < settings.reResolveInterval().toNanos()) {
                fail(r, reason, what + " (also after resolving the URL again)");
                return;
            }
            r.reResolving = true;
            if (leases.isRegistered(r.id)) {
                leases.setActive(r.id, false);
            }
            // After leasing stopped: a lease issued later than this carries the URL resolved again.
            r.lastReResolveNanos = System.nanoTime();
        }
        LOG.infof("download %s: origin refused %s; resolving the URL again", r.id, what);
        background.execute(() -> {
            try {
                ProbeResult probe = prober.probe(URI.create(r.created.getUrl()), r.created.getHeadersList());
                if (!sameVersion(r, probe)) {
                    fail(r, FailureReason.ORIGIN_CHANGED, "origin serves another version after resolving the URL again");
                    return;
                }
                r.resolvedAgain(probe.finalUrl().toString());
                synchronized (r) {
                    if (r.state() == DownloadState.RUNNING && leases.isRegistered(r.id)) {
                        leases.setActive(r.id, true);
                    }
                }
            } catch (ProbeException e) {
                fail(r, e.reason(), e.getMessage() + " (resolving the URL again after: " + what + ")");
            } catch (IOException e) {
                fail(r, FailureReason.INTERNAL, "cannot write state: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (r) {
                    r.reResolving = false;
                }
            }
        });
    }

    // ---------------------------------------------------------------- life of a download

    /** Opens (and for chunked downloads preallocates) the .part file; false when that failed the download. */
    private boolean openPart(DownloadRecord r, boolean fresh) {
        try {
            Files.createDirectories(r.part.getParent());
            Spill.removeLeftovers(r.part);
            FileChannel ch = FileChannel.open(r.part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (fresh) {
                ch.truncate(0);
            }
            if (r.chunked()) {
                long size = r.plan.size();
                if (ch.size() > size) {
                    ch.truncate(size);
                } else if (ch.size() < size) {
                    // Sparse preallocation: only the last byte is written, and only while it is unwritten.
                    ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
                }
            }
            r.open(ch);
            return true;
        } catch (IOException e) {
            fail(r, DiskErrors.reasonOf(e), "cannot open " + r.part + ": " + DiskErrors.describe(e));
            return false;
        }
    }

    /** Hands the download to workers, the single-stream fetcher, or straight to the finisher. */
    private void begin(DownloadRecord r) {
        if (!r.chunked()) {
            startStream(r);
            return;
        }
        if (r.plan.chunkCount() == 0) {
            background.execute(() -> finish(r));
            return;
        }
        leases.register(r.id, r.plan, r.savedDone(), OriginUrls.originOf(r.finalUrl()));
        r.prefixHash = new PrefixHash(r.part, r.created.hasChecksum() ? r.created.getChecksum() : null);
        if (r.state() == DownloadState.PAUSED) {
            leases.setActive(r.id, false);
        }
        if (r.savedDone().cardinality() == r.plan.chunkCount()) {
            startFinish(r);
        }
    }

    private void startStream(DownloadRecord r) {
        SingleStreamFetch fetch = new SingleStreamFetch(this, r, client, headersFor(r, URI.create(r.finalUrl())),
                SINGLE_STREAM_ATTEMPTS);
        streams.put(r.id, fetch);
        background.execute(fetch);
    }

    private void stopStream(DownloadRecord r) {
        SingleStreamFetch fetch = streams.remove(r.id);
        if (fetch != null) {
            fetch.stop();
        }
    }

    void singleStreamComplete(DownloadRecord r) {
        streams.remove(r.id);
        finish(r);
    }

    private void flushAll() {
        for (String id : leases.downloadIds()) {
            DownloadRecord r = downloads.get(id);
            if (r != null) {
                flush(r);
            }
        }
    }

    /** Forces written chunks to disk, then journals them: a chunk is done only once its bytes are durable. */
    void flush(DownloadRecord r) {
        flush(r, true);
    }

    /** As {@link #flush(DownloadRecord)}; {@code mayFinish} false when the caller is failing the download. */
    private void flush(DownloadRecord r, boolean mayFinish) {
        List<Integer> written = leases.takeWritten(r.id);
        if (written.isEmpty()) {
            return;
        }
        try {
            FileChannel ch = r.channel();
            if (ch == null) {
                return;
            }
            ch.force(false);
            ChunksDone.Builder done = ChunksDone.newBuilder();
            written.forEach(i -> done.addChunks(i));
            r.journalDone(done.build());
        } catch (IOException e) {
            fail(r, DiskErrors.reasonOf(e), "cannot make chunks durable: " + DiskErrors.describe(e));
            return;
        }
        if (leases.markDone(r.id, written)) {
            if (mayFinish) {
                startFinish(r);
            }
        } else {
            hashAhead(r);
        }
    }

    /** Queues hashing of the newly done prefix, unless an advance for this download is already queued. */
    private void hashAhead(DownloadRecord r) {
        PrefixHash prefix = r.prefixHash;
        if (prefix == null || !prefix.schedule()) {
            return;
        }
        long end = leases.donePrefixBytes(r.id);
        try {
            hashAhead.execute(() -> prefix.advanceTo(end));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the final verification reads the whole file after the restart.
        }
    }

    private void startFinish(DownloadRecord r) {
        synchronized (r) {
            if (r.terminal() || r.state() == DownloadState.VERIFYING) {
                return;
            }
            r.saveDone(leases.doneBitmap(r.id));
            leases.unregister(r.id);
            transition(r, DownloadState.VERIFYING, FailureReason.FAILURE_REASON_UNSPECIFIED, "");
        }
        background.execute(() -> finish(r));
    }

    /** Verifies the whole file and publishes it under its final name. */
    private void finish(DownloadRecord r) {
        try {
            FileChannel ch = r.channel();
            if (ch != null) {
                ch.force(true);
            }
            r.closeChannel();
            Path source = Files.exists(r.part) ? r.part : r.target;
            PrefixHash prefix = r.prefixHash;
            r.prefixHash = null;
            Finisher.Resumable ahead = prefix != null && source.equals(r.part) ? prefix.take() : null;
            Finisher.Verdict verdict = Finisher.verify(source, r.created.hasChecksum() ? r.created.getChecksum() : null,
                    ahead);
            if (!verdict.ok()) {
                fail(r, verdict.failure(), verdict.message());
                return;
            }
            synchronized (r) {
                // Under the record's monitor: a cancel during hashing wins, and then nothing is published.
                if (r.terminal()) {
                    return;
                }
                if (source.equals(r.part)) {
                    Finisher.publish(r.part, r.target, r.created.getOverwrite());
                }
                if (!r.chunked() && r.created.getSizeBytes() < 0) {
                    r.streamedBytes = Files.size(r.target);
                }
                transition(r, DownloadState.COMPLETED, FailureReason.FAILURE_REASON_UNSPECIFIED, "", verdict.sha256());
                // Inside the monitor: whoever sees COMPLETED also sees it counted.
                events.downloadCompleted(r.activeMs());
            }
            r.closeJournal();
            LOG.infof("download %s: completed %s sha256 %s", r.id, r.target, verdict.sha256());
        } catch (FileAlreadyExistsException e) {
            fail(r, FailureReason.INTERNAL, "'" + r.created.getOutputName()
                    + "' appeared in the data directory meanwhile and overwrite was not asked");
        } catch (IOException e) {
            fail(r, DiskErrors.reasonOf(e), "cannot finish: " + DiskErrors.describe(e));
        }
    }

    /** Ends a download for good (until Resume), keeping its .part file and state. */
    void fail(DownloadRecord r, FailureReason reason, String line) {
        if (closing) {
            // Errors caused by shutting down are not the download's; the journal keeps it resumable.
            LOG.debugf("download %s: not failed during shutdown (%s: %s)", r.id, reason, line);
            return;
        }
        synchronized (r) {
            if (r.terminal()) {
                return;
            }
            if (leases.isRegistered(r.id)) {
                flush(r, false);
                r.saveDone(leases.doneBitmap(r.id));
                leases.unregister(r.id);
            }
            stopStream(r);
            r.closeChannel();
            transition(r, DownloadState.FAILED, reason, line);
        }
        LOG.warnf("download %s: failed: %s: %s", r.id, reason.name(), line);
    }

    /** Classifies a write error; a full disk fails the download with DISK_FULL. */
    TransferError writeFailed(DownloadRecord r, IOException e) {
        FailureReason reason = DiskErrors.reasonOf(e);
        fail(r, reason, "cannot write: " + DiskErrors.describe(e));
        return reason == FailureReason.DISK_FULL ? TransferError.DISK_FULL : TransferError.WRITE_FAILED;
    }

    private void transition(DownloadRecord r, DownloadState state, FailureReason reason, String line) {
        transition(r, state, reason, line, "");
    }

    private void transition(DownloadRecord r, DownloadState state, FailureReason reason, String line, String sha) {
        try {
            r.transition(state, reason, line, sha);
        } catch (IOException e) {
            // The journal is on the same volume as the data: the state stays as it was on disk.
            LOG.errorf("download %s: cannot journal state %s: %s", r.id, state, DiskErrors.describe(e));
        }
    }

    private static String stateName(DownloadRecord r) {
        return r.state().name().toLowerCase();
    }

    // ---------------------------------------------------------------- recovery

    private void recover(DownloadStore.Loaded loaded) {
        DownloadCreated created = loaded.replay().created();
        ChunkPlan plan = created.getRanges() && created.getSizeBytes() >= 0
                ? new ChunkPlan(created.getSizeBytes(), created.getChunkSizeBytes(), created.getTailChunks()) : null;
        Path target = names.dataDir().resolve(created.getOutputName()).normalize();
        DownloadRecord r = new DownloadRecord(loaded.id(), created, plan, target, loaded.journal());
        r.restore(loaded.replay().lastState(), loaded.replay().done());
        if (!loaded.replay().finalUrl().equals(created.getFinalUrl())) {
            try {
                r.resolvedAgain(loaded.replay().finalUrl());
            } catch (IOException e) {
                LOG.warnf("download %s: %s", r.id, e.getMessage());
            }
        }
        downloads.put(r.id, r);
        DownloadState state = r.state();
        if (state == DownloadState.COMPLETED) {
            r.closeJournal();
            return;
        }
        if (state == DownloadState.FAILED) {
            return;
        }
        if (state == DownloadState.VERIFYING) {
            transition(r, DownloadState.RUNNING, FailureReason.FAILURE_REASON_UNSPECIFIED, created.getNote());
        }
        r.startClock();
        boolean allDone = plan != null && loaded.replay().done().cardinality() == plan.chunkCount();
        if (plan != null && !Files.exists(r.part) && !loaded.replay().done().isEmpty()) {
            if (allDone && Files.exists(target)) {
                // Crashed between the rename and journaling COMPLETED: verify the published file.
                background.execute(() -> finish(r));
                return;
            }
            try {
                r.resetChunks("the .part file was lost; fetching every chunk again");
            } catch (IOException e) {
                LOG.errorf("download %s: %s", r.id, e.getMessage());
            }
            allDone = false;
        }
        LOG.infof("download %s: recovered (%s, %d of %d chunks done)", r.id, state.name().toLowerCase(),
                r.savedDone().cardinality(), plan == null ? 1 : plan.chunkCount());
        if (openPart(r, plan == null)) {
            begin(r);
        }
    }

    private void expireLeases() {
        try {
            leases.expire();
        } catch (RuntimeException e) {
            LOG.error("lease expiry failed", e);
        }
    }

    @Override
    public void close() {
        closing = true;
        waiters.close();
        // shutdown, not shutdownNow: interrupting a thread inside a FileChannel call closes the channel.
        scheduler.shutdown();
        try {
            // A flush in progress must end before journals close under it.
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String id : List.copyOf(streams.keySet())) {
            SingleStreamFetch f = streams.remove(id);
            if (f != null) {
                f.stop();
            }
        }
        flushAll();
        hashAhead.shutdownNow();
        background.shutdownNow();
        for (DownloadRecord r : downloads.values()) {
            r.closeChannel();
            r.closeJournal();
        }
    }
}
