package io.p2pdl.coordinator.plan;

import java.util.BitSet;

/**
 * How one file of {@code size} bytes is cut into chunks: equal chunks of {@code chunkSize} bytes,
 * except that the last {@code tailChunks} of them are each cut into {@link #PIECES_PER_TAIL_CHUNK}
 * smaller chunks ("pieces"). The tail is fine-grained so the last leases, handed out while every
 * worker is about to run dry, end close together instead of one host finishing a whole chunk after
 * the others are idle (see {@code docs/chunk-state-machine.md}, "Tail"). The last chunk may be
 * shorter. A zero-byte file has no chunks. All arithmetic is 64-bit so files over 4 GiB work;
 * chunk indexes fit an {@code int} because {@link ChunkPlanner} bounds the count.
 */
public record ChunkPlan(long size, long chunkSize, int tailChunks) {

    /** Into how many pieces each tail chunk is cut. */
    public static final int PIECES_PER_TAIL_CHUNK = 4;

    public ChunkPlan {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, got " + chunkSize);
        }
        if (tailChunks < 0) {
            throw new IllegalArgumentException("tail chunks must be >= 0, got " + tailChunks);
        }
    }

    /** Equal chunks throughout (the plan of downloads journaled before tails were cut). */
    public ChunkPlan(long size, long chunkSize) {
        this(size, chunkSize, 0);
    }

    /** Chunks of {@code chunkSize} the file would have without a tail: ceil(size / chunkSize). */
    public long equalChunks() {
        return size == 0 ? 0 : (size - 1) / chunkSize + 1;
    }

    /** Chunks of {@code chunkSize} (the last one may be short when there is no tail). */
    private long head() {
        return tailChunks == 0 ? equalChunks() : Math.max(0, equalChunks() - tailChunks);
    }

    /** Size of a tail piece; the last one may be shorter. */
    public long pieceSize() {
        return (chunkSize + PIECES_PER_TAIL_CHUNK - 1) / PIECES_PER_TAIL_CHUNK;
    }

    /** Number of chunks, tail pieces included, without overflow for sizes near Long.MAX_VALUE. */
    public int chunkCount() {
        if (tailChunks == 0) {
            return Math.toIntExact(equalChunks());
        }
        long tailBytes = size - head() * chunkSize;
        long pieces = tailBytes == 0 ? 0 : (tailBytes - 1) / pieceSize() + 1;
        return Math.toIntExact(head() + pieces);
    }

    /** Byte offset of chunk {@code index} in the file. */
    public long offset(int index) {
        checkIndex(index);
        long head = head();
        return index < head ? index * chunkSize : head * chunkSize + (index - head) * pieceSize();
    }

    /** Number of bytes in chunk {@code index}. */
    public long length(int index) {
        return Math.min(nominal(index), size - offset(index));
    }

    /** Bytes covered by the chunks set in {@code done}. */
    public long bytesOf(BitSet done) {
        int n = chunkCount();
        if (n == 0) {
            return 0;
        }
        int head = (int) head();
        long bytes = (long) done.get(0, Math.min(head, n)).cardinality() * chunkSize
                + (long) done.get(head, n).cardinality() * pieceSize();
        if (done.get(n - 1)) {
            bytes -= nominal(n - 1) - length(n - 1);
        }
        return bytes;
    }

    private long nominal(int index) {
        checkIndex(index);
        return index < head() ? chunkSize : pieceSize();
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + index + " outside 0.." + (chunkCount() - 1));
        }
    }
}
