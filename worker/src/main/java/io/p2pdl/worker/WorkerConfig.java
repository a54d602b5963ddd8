package io.p2pdl.worker;

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

    /** Coordinators to serve, as host:port (static discovery). */
    Optional<List<String>> coordinators();

    /** Chunks fetched at the same time. */
    @WithDefault("4")
    int concurrency();

    /** Worker identity sent to coordinators; empty means host name plus a random suffix. */
    Optional<String> id();

    /** Longest sleep when no coordinator has work. */
    @WithDefault("2S")
    Duration maxIdleBackoff();

    /** Origin attempts per chunk before it is given back as failed. */
    @WithDefault("3")
    int fetchAttempts();

    /** Read-idle timeout: how long an origin may send nothing before the attempt is abandoned. */
    @WithDefault("30S")
    Duration requestTimeout();

    /** How long shutdown lets in-flight chunks finish before giving them back. */
    @WithDefault("20S")
    Duration drainTimeout();

    /** PEM file with CA certificates trusted for origins in addition to the JDK's. */
    Optional<Path> extraCaBundle();
}
