package io.p2pdl.coordinator.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The digests of a chunked download's {@code .part} file over its done prefix (chunks 0..k-1 all
 * durable), advanced in the background while later chunks are still arriving. Verification at the
 * end then reads only the rest instead of the whole file. Done chunks are never written again, so
 * the prefix stays valid; a coordinator restart starts a new one from byte 0. Any read error
 * abandons it and the final verification reads everything.
 */
final class PrefixHash {

    private static final int BUFFER = 1 << 20;

    private final Path part;
    private final Finisher.Digests digests;
    private long hashed;
    private boolean closed;
    private boolean scheduled;

    PrefixHash(Path part, io.p2pdl.proto.v1.Checksum expected) {
        this.part = part;
        this.digests = Finisher.Digests.forChecksum(expected);
    }

    /** Claims the right to run the next advance; false while one is queued or running. */
    synchronized boolean schedule() {
        if (scheduled || closed) {
            return false;
        }
        scheduled = true;
        return true;
    }

    /** Hashes the file from where it stopped up to {@code end} (exclusive); ends any claim. */
    void advanceTo(long end) {
        synchronized (this) {
            scheduled = false;
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            while (true) {
                synchronized (this) {
                    // Chunk by chunk under the lock: take() waits for at most one buffer.
                    if (closed || hashed >= end) {
                        return;
                    }
                    buf.clear().limit((int) Math.min(BUFFER, end - hashed));
                    int n = ch.read(buf, hashed);
                    if (n < 0) {
                        closed = true;
                        return;
                    }
                    buf.flip();
                    digests.update(buf);
                    hashed += n;
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                closed = true;
                hashed = -1;
            }
        }
    }

    /**
     * Ends hashing ahead and hands over the digests and how many leading bytes they cover, or
     * null when they are unusable (an error, or nothing hashed).
     */
    synchronized Finisher.Resumable take() {
        boolean usable = !closed && hashed > 0;
        closed = true;
        return usable ? new Finisher.Resumable(digests, hashed) : null;
    }
}
