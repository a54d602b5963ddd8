package io.p2pdl.worker;

import io.p2pdl.worker.discovery.DiscoveryMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of the worker service ({@code p2pdl.worker.*}). Keys without a sensible default
 * value are optional: no coordinators, a generated id, no extra CAs.
 */
@ConfigMapping(prefix = "p2pdl.worker")
public interface WorkerConfig {

    /**
     * How coordinators are found: {@code static} (the {@code coordinators} list) or
     * {@code kubernetes} (Ready coordinator pods). Unset means {@code kubernetes} inside a pod
     * without static coordinators, {@code static} otherwise.
     */
    Optional<DiscoveryMode> discovery();

    /** Coordinators to serve, as host:port (static discovery). */
    Optional<List<String>> coordinators();

    /** Where kubernetes discovery looks for coordinator pods. */
    Kubernetes kubernetes();

    /**
     * Chunks fetched at the same time: 2 fills a WAN link without TCP flows locking each other out
     * behind its queue (docs/benchmarks.md); more for origins that cap each connection's speed.
     */
    @WithDefault("2")
    int concurrency();

    /** Worker identity sent to coordinators; empty means host name plus a random suffix. */
    Optional<String> id();

    /** Longest sleep when no coordinator has work, and how long GetChunk may wait for work (long poll). */
    @WithDefault("2S")
    Duration maxIdleBackoff();

    /** Origin attempts per chunk before it is given back as failed. */
    @WithDefault("3")
    int fetchAttempts();

    /** Read-idle timeout: how long an origin may send nothing before the attempt is abandoned. */
    @WithDefault("30S")
    Duration requestTimeout();

    /**
     * Bytes per second below which a fetch is given up and its chunk released (TRANSIENT) so
     * another attempt gets it; measured over {@link #lowestSpeedWindow()}. 0 switches it off.
     */
    @WithDefault("8192")
    long lowestSpeed();

    /** How long a fetch must stay below {@link #lowestSpeed()} to be given up. */
    @WithDefault("30S")
    Duration lowestSpeedWindow();

    /** How long shutdown lets in-flight chunks finish before giving them back. */
    @WithDefault("20S")
    Duration drainTimeout();

    /** PEM file with CA certificates trusted for origins in addition to the JDK's. */
    Optional<Path> extraCaBundle();

    /** Worker token presented to coordinators ({@code P2PDL_WORKER_TOKEN}). */
    Optional<String> token();

    /** File holding the worker token, e.g. a mounted Secret ({@code P2PDL_WORKER_TOKEN_FILE}). */
    Optional<Path> tokenFile();

    /** Which origin addresses this worker fetches from (the SSRF guard, checked before each request). */
    Origins origins();

    /** Which origin addresses may be fetched. */
    interface Origins {
        /**
         * CIDRs opened in addition to public addresses, e.g. {@code 10.0.0.0/8}; loopback, private and
         * CGNAT ranges need this, link-local and metadata addresses are never fetched.
         */
        Optional<List<String>> allowedCidrs();
    }

    /** Redaction of secrets in URLs in this worker's logs and failure messages. */
    Redact redact();

    /** Redaction of secrets in URLs. */
    interface Redact {
        /** Query parameters redacted in addition to the built-in list (X-Amz-Signature, sig, token, ...). */
        Optional<List<String>> queryParams();
    }

    /** Kubernetes discovery ({@code p2pdl.worker.kubernetes.*}). */
    interface Kubernetes {

        /** Namespace of the coordinator pods; unset means the pod's own (service account) namespace. */
        Optional<String> namespace();

        /** Label selector of the coordinator pods; the chart narrows it to one release. */
        @WithDefault("app.kubernetes.io/component=coordinator")
        String selector();

        /** Name of the coordinators' gRPC container port. */
        @WithDefault("grpc")
        String portName();
    }
}
