package io.p2pdl.coordinator.config;

import io.p2pdl.coordinator.download.CoreDefaults;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the coordinator service; the README's configuration table mirrors it. */
@ConfigMapping(prefix = "p2pdl.coordinator")
public interface CoordinatorConfig {

    /** Directory where output files are written (the coordinator's data volume). */
    @WithDefault("data")
    Path dataDir();

    /** Directory for download journals; defaults to {@code <data-dir>/.p2pdl}. */
    Optional<Path> stateDir();

    /** Name of this coordinator, prefix of its download ids; defaults to the host name. */
    Optional<String> nodeName();

    /** Chunk size for downloads that do not ask for one. */
    @WithDefault(CoreDefaults.CHUNK_SIZE)
    MemorySize chunkSize();

    /** How long a lease lives without a transfer frame from its worker. */
    @WithDefault(CoreDefaults.LEASE_TTL)
    Duration leaseTtl();

    /** Endgame: extra leases one in-flight chunk may get when nothing else is queued (0 disables). */
    @WithDefault(CoreDefaults.ENDGAME_MAX_DUPLICATES)
    int endgameMaxDuplicates();

    /**
     * Endgame: least time a chunk is in flight before it may be duplicated; the threshold is also
     * at least twice the download's recent median chunk time.
     */
    @WithDefault(CoreDefaults.ENDGAME_MIN_AGE)
    Duration endgameMinAge();

    /** Delay before a chunk whose fetch failed is leased again; doubles with each failure. */
    @WithDefault(CoreDefaults.RETRY_BACKOFF_INITIAL)
    Duration retryBackoffInitial();

    /** Cap of the retry delay. */
    @WithDefault(CoreDefaults.RETRY_BACKOFF_MAX)
    Duration retryBackoffMax();

    /** Consecutive failed fetches of one chunk after which the download fails with TOO_MANY_ERRORS. */
    @WithDefault(CoreDefaults.MAX_CHUNK_FAILURES)
    int maxChunkFailures();

    /** What idle workers are told to wait before asking again when nothing is queued. */
    @WithDefault(CoreDefaults.NO_WORK_RETRY_AFTER)
    Duration noWorkRetryAfter();

    /** How often written chunks are forced to disk and journaled (batched fsync). */
    @WithDefault(CoreDefaults.FSYNC_INTERVAL)
    Duration fsyncInterval();

    /** Least time between two re-resolutions of a download's URL after 401/403/404 from workers. */
    @WithDefault(CoreDefaults.RE_RESOLVE_INTERVAL)
    Duration reResolveInterval();

    /** Timeout of one probe request to the origin. */
    @WithDefault(CoreDefaults.PROBE_TIMEOUT)
    Duration probeTimeout();

    /** Probe attempts when the origin answers with a transient error. */
    @WithDefault(CoreDefaults.PROBE_ATTEMPTS)
    int probeAttempts();

    /** PEM file of extra CA certificates trusted for origins (in addition to the JDK's). */
    Optional<Path> extraCaBundle();

    /** Fetch workers running inside the coordinator (0 disables them). */
    @WithDefault("1")
    int embeddedWorkers();

    /** Chunks each embedded worker fetches at once (2, as a worker's default, for the same reason). */
    @WithDefault("2")
    int embeddedConcurrency();

    /** Limits that protect the coordinator from too much work. */
    Limits limits();

    /** Limits that protect the coordinator from too much work. */
    interface Limits {
        /** Most downloads not yet completed or failed at once; Submit refuses more with RESOURCE_EXHAUSTED. */
        @WithDefault(CoreDefaults.MAX_ACTIVE_DOWNLOADS)
        int maxActiveDownloads();

        /** Largest file Submit accepts. */
        @WithDefault(CoreDefaults.MAX_FILE_SIZE)
        MemorySize maxFileSize();

        /** Most chunks one worker may hold leased at once; GetChunk answers NoWork beyond it. */
        @WithDefault(CoreDefaults.MAX_LEASES_PER_WORKER)
        int maxLeasesPerWorker();

        /**
         * Most connections (live leases, endgame duplicates included) to one origin host and port at
         * once, over all workers and downloads; 0 means no cap (the sum of the workers' concurrency).
         */
        @WithDefault(CoreDefaults.MAX_CONNECTIONS_PER_ORIGIN)
        int maxConnectionsPerOrigin();
    }

    /** Which origin addresses may be fetched (the SSRF guard). */
    Origins origins();

    /** Which origin addresses may be fetched. */
    interface Origins {
        /**
         * CIDRs opened in addition to public addresses, e.g. {@code 10.0.0.0/8,127.0.0.0/8}; loopback,
         * private and CGNAT ranges need this, link-local and metadata addresses are never fetched.
         */
        Optional<java.util.List<String>> allowedCidrs();
    }

    /** Redaction of secrets in URLs shown in status, logs and messages. */
    Redact redact();

    /** Redaction of secrets in URLs. */
    interface Redact {
        /** Query parameters redacted in addition to the built-in list (X-Amz-Signature, sig, token, ...). */
        Optional<java.util.List<String>> queryParams();
    }

    /** Authentication of callers (tokens come from {@code P2PDL_WORKER_TOKEN} and {@code P2PDL_ADMIN_TOKEN}). */
    Auth auth();

    /** Authentication of callers. */
    interface Auth {
        /** Accept calls without a token for a service whose token is not configured (trusted networks only). */
        @WithDefault("false")
        boolean allowUnauthenticated();
    }

    /** The other coordinators, to which calls about downloads they own are forwarded. */
    Peers peers();

    /** Kubernetes API settings for finding peers. */
    Kubernetes kubernetes();

    /** Peer coordinators. */
    interface Peers {
        /** How peers are found: auto (kubernetes inside a pod, else static), static, or kubernetes. */
        @WithDefault("auto")
        PeerDiscoveryMode discovery();

        /** Static peers as host:port (the other coordinators, not this one). */
        Optional<java.util.List<String>> addresses();
    }

    /** Where coordinator pods are looked up. */
    interface Kubernetes {
        /** Namespace of the coordinator pods; defaults to this pod's namespace. */
        Optional<String> namespace();

        /** Label selector of the coordinator pods. */
        @WithDefault("app.kubernetes.io/component=coordinator")
        String selector();

        /** Name of the coordinator container port. */
        @WithDefault("grpc")
        String portName();
    }

    /** How peers are found. */
    enum PeerDiscoveryMode {
        AUTO, STATIC, KUBERNETES
    }
}
