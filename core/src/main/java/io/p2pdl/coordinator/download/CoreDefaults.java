package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.plan.ByteSize;
import io.p2pdl.fetch.origin.UrlRedactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The coordinator's default tunables, written once: the service's configuration mapping uses these
 * strings as its {@code @WithDefault}s, and {@code p2pdl get}, which runs the core without the
 * framework, parses the same strings. Formats: durations {@code 500MS}, {@code 30S}, {@code 2M},
 * {@code 1H}; sizes {@code 1M}, {@code 64T} (binary units).
 */
public final class CoreDefaults {

    /** 4 MiB: the WAN bench's winner (8 hosts: 0.86 of the links against 0.74 with 1 MiB); a crash
     *  re-fetches at most one chunk per fetch slot. */
    public static final String CHUNK_SIZE = "4M";
    /**
     * 1 MiB for {@code p2pdl get}'s core: on one machine there are no WAN links to keep busy, and the
     * smaller chunks finish closer together at the end (2 GiB over loopback ~5 % faster than 4 MiB).
     */
    public static final String LOCAL_CHUNK_SIZE = "1M";
    public static final String LEASE_TTL = "30S";
    public static final String ENDGAME_MAX_DUPLICATES = "1";
    public static final String ENDGAME_MIN_AGE = "2S";
    public static final String RETRY_BACKOFF_INITIAL = "500MS";
    public static final String RETRY_BACKOFF_MAX = "30S";
    public static final String MAX_CHUNK_FAILURES = "10";
    public static final String NO_WORK_RETRY_AFTER = "1S";
    public static final String FSYNC_INTERVAL = "200MS";
    public static final String RE_RESOLVE_INTERVAL = "60S";
    public static final String PROBE_TIMEOUT = "30S";
    public static final String PROBE_ATTEMPTS = "3";
    public static final String MAX_ACTIVE_DOWNLOADS = "256";
    public static final String MAX_FILE_SIZE = "64T";
    public static final String MAX_LEASES_PER_WORKER = "64";
    /** 0: no cap on connections to one origin (the sum of the workers' concurrency). */
    public static final String MAX_CONNECTIONS_PER_ORIGIN = "0";

    /** Pause between probe attempts. */
    public static final Duration PROBE_RETRY_DELAY = Duration.ofMillis(500);

    private CoreDefaults() {
    }

    /** The lease tunables with every default. */
    public static LeasePolicy leasePolicy() {
        return new LeasePolicy(duration(LEASE_TTL), Integer.parseInt(ENDGAME_MAX_DUPLICATES),
                duration(RETRY_BACKOFF_INITIAL), duration(RETRY_BACKOFF_MAX), Integer.parseInt(MAX_CHUNK_FAILURES),
                duration(NO_WORK_RETRY_AFTER), duration(ENDGAME_MIN_AGE), Integer.parseInt(MAX_LEASES_PER_WORKER),
                Integer.parseInt(MAX_CONNECTIONS_PER_ORIGIN));
    }

    /** Settings with every default for a coordinator writing into {@code dataDir}, journaling into {@code stateDir}. */
    public static CoordinatorSettings settings(Path dataDir, Path stateDir, String nodeName, UrlRedactor redactor) {
        return new CoordinatorSettings(dataDir, stateDir, nodeName, size(CHUNK_SIZE), leasePolicy(),
                duration(FSYNC_INTERVAL), duration(RE_RESOLVE_INTERVAL), Integer.parseInt(MAX_ACTIVE_DOWNLOADS),
                size(MAX_FILE_SIZE), redactor);
    }

    /** Parses {@code 500MS}, {@code 30S}, {@code 2M}, {@code 1H} (case-insensitive). */
    public static Duration duration(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("MS")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 'S' -> Duration.ofSeconds(n);
            case 'M' -> Duration.ofMinutes(n);
            case 'H' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    /** Parses {@code 512K}, {@code 1M}, {@code 2G}, {@code 64T} (binary units) or plain bytes ({@link ByteSize}). */
    public static long size(String text) {
        return ByteSize.parse(text);
    }
}
