package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.store.DownloadStore;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ends a download whose bytes are all on disk: hashes the file (always SHA-256, plus the submitted
 * algorithm), compares with the expected checksum, and only then renames {@code .part} to the final
 * name atomically. Order matters for crash safety: data forced, rename, directory forced, and only
 * then COMPLETED journaled; recovery re-verifies a final file whose completion was not journaled.
 */
final class Finisher {

    /** The outcome of verification: digests, or a mismatch to fail with. */
    record Verdict(String sha256, FailureReason failure, String message) {
        boolean ok() {
            return failure == null;
        }
    }

    private Finisher() {
    }

    /** SHA-256 always, plus SHA-512 when the submitted checksum uses it. */
    static final class Digests {
        private final MessageDigest sha256 = digest("SHA-256");
        private final MessageDigest other;

        private Digests(MessageDigest other) {
            this.other = other;
        }

        static Digests forChecksum(io.p2pdl.proto.v1.Checksum expected) {
            return new Digests(expected != null && expected.getAlgorithm() == ChecksumAlgorithm.SHA512
                    ? digest("SHA-512") : null);
        }

        /** Consumes the buffer's remaining bytes. */
        void update(ByteBuffer buf) {
            if (other != null) {
                other.update(buf.duplicate());
            }
            sha256.update(buf);
        }
    }

    /** Digests covering the first {@code offset} bytes of the file, to continue from. */
    record Resumable(Digests digests, long offset) {
    }

    /**
     * Hashes {@code file} and compares with {@code expected}; with {@code ahead}, only the bytes after
     * those it already covers are read.
     */
    static Verdict verify(Path file, io.p2pdl.proto.v1.Checksum expected, Resumable ahead) throws IOException {
        Digests digests = ahead != null ? ahead.digests() : Digests.forChecksum(expected);
        MessageDigest sha256 = digests.sha256;
        MessageDigest other = digests.other;
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ahead != null) {
                ch.position(ahead.offset());
            }
            while (ch.read(buf) >= 0) {
                buf.flip();
                digests.update(buf);
                buf.clear();
            }
        }
        String sha = HexFormat.of().formatHex(sha256.digest());
        if (expected == null || expected.getAlgorithm() == ChecksumAlgorithm.CHECKSUM_ALGORITHM_UNSPECIFIED) {
            return new Verdict(sha, null, null);
        }
        String actual = other != null ? HexFormat.of().formatHex(other.digest()) : sha;
        if (!actual.equalsIgnoreCase(expected.getHex())) {
            return new Verdict(sha, FailureReason.CHECKSUM_MISMATCH, expected.getAlgorithm().name().toLowerCase()
                    + " of the file is " + actual + ", expected " + expected.getHex().toLowerCase());
        }
        return new Verdict(sha, null, null);
    }

    /**
     * Renames the verified {@code .part} into place.
     *
     * @throws FileAlreadyExistsException when the target appeared meanwhile and overwrite was not asked
     */
    static void publish(Path part, Path target, boolean overwrite) throws IOException {
        if (overwrite) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        DownloadStore.fsyncDirectory(target.getParent());
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " missing from the JDK", e);
        }
    }
}
