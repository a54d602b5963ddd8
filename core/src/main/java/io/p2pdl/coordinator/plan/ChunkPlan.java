package io.p2pdl.coordinator.plan;

/**
 * How one file of {@code size} bytes is cut into equal chunks of {@code chunkSize} bytes; the last
 * chunk may be shorter. A zero-byte file has no chunks. All arithmetic is 64-bit so files over
 * 4 GiB work; chunk indexes fit an {@code int} because {@link ChunkPlanner} bounds the count.
 */
public record ChunkPlan(long size, long chunkSize) {

    public ChunkPlan {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, got " + chunkSize);
        }
    }

    /** Number of chunks: ceil(size / chunkSize), without overflow for sizes near Long.MAX_VALUE. */
    public int chunkCount() {
        return size == 0 ? 0 : Math.toIntExact((size - 1) / chunkSize + 1);
    }

    /** Byte offset of chunk {@code index} in the file. */
    public long offset(int index) {
        checkIndex(index);
        return index * chunkSize;
    }

    /** Number of bytes in chunk {@code index}. */
    public long length(int index) {
        checkIndex(index);
        return Math.min(chunkSize, size - offset(index));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + index + " outside 0.." + (chunkCount() - 1));
        }
    }
}
