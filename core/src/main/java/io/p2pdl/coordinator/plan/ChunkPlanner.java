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

    /** Plans of fewer equal chunks than this have no tail: there is little to balance. */
    public static final int MIN_CHUNKS_FOR_TAIL = 16;
    /** At most this share (1 / n) of the file's chunks is cut into tail pieces... */
    public static final int TAIL_SHARE_DIVISOR = 8;
    /** ...and at most this many chunks. */
    public static final int MAX_TAIL_CHUNKS = 16;

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
        long equal = new ChunkPlan(size, chunkSize).equalChunks();
        ChunkPlan plan = new ChunkPlan(size, chunkSize, tailChunks(equal));
        if (equal > MAX_CHUNKS || plan.chunkCount() > MAX_CHUNKS) {
            throw new IllegalArgumentException("file of " + size + " bytes needs more than " + MAX_CHUNKS
                    + " chunks of " + chunkSize + " bytes; use a larger chunk size");
        }
        return plan;
    }

    /**
     * How many of a plan's last chunks are cut into pieces: an eighth of them, at most 16, none
     * below 16 chunks. With 4 MiB chunks a 512 MiB file ends in 64 pieces of 1 MiB, one round of
     * leases for 8 hosts of 4 slots each.
     */
    static int tailChunks(long equalChunks) {
        return equalChunks < MIN_CHUNKS_FOR_TAIL ? 0 : (int) Math.min(equalChunks / TAIL_SHARE_DIVISOR, MAX_TAIL_CHUNKS);
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
