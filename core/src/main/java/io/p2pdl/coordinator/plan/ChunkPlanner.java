package io.p2pdl.coordinator.plan;

/**
 * Chooses and validates the chunk size for a download. Bounds keep per-download state small: the
 * chunk count must fit the in-memory per-chunk arrays (at most {@link #MAX_CHUNKS}).
 */
public final class ChunkPlanner {

    /** Smallest chunk accepted: below this, request overhead dominates. */
    public static final long MIN_CHUNK = 64 * 1024;
    /** Largest chunk accepted: bounded so a lost chunk costs at most this much re-fetch. */
    public static final long MAX_CHUNK = 1024L * 1024 * 1024;
    /** Most chunks one download may have (64 Mi chunks is 64 TiB at 1 MiB). */
    public static final int MAX_CHUNKS = 64 * 1024 * 1024;

    private final long defaultChunkSize;

    public ChunkPlanner(long defaultChunkSize) {
        checkChunkSize(defaultChunkSize);
        this.defaultChunkSize = defaultChunkSize;
    }

    /**
     * Plans a file of {@code size} bytes with {@code requestedChunkSize}, or the default when it is 0.
     *
     * @throws IllegalArgumentException with a one-line reason when the chunk size or count is out of bounds
     */
    public ChunkPlan plan(long size, long requestedChunkSize) {
        long chunkSize = requestedChunkSize == 0 ? defaultChunkSize : requestedChunkSize;
        checkChunkSize(chunkSize);
        ChunkPlan plan = new ChunkPlan(size, chunkSize);
        if (size > 0 && (size - 1) / chunkSize + 1 > MAX_CHUNKS) {
            throw new IllegalArgumentException("file of " + size + " bytes needs more than " + MAX_CHUNKS
                    + " chunks of " + chunkSize + " bytes; use a larger chunk size");
        }
        return plan;
    }

    /** The chunk size used when a download does not ask for one. */
    public long defaultChunkSize() {
        return defaultChunkSize;
    }

    private static void checkChunkSize(long chunkSize) {
        if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " bytes is outside "
                    + MIN_CHUNK + ".." + MAX_CHUNK + " bytes");
        }
    }
}
