package io.p2pdl.coordinator.download;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where a standby transfer (an endgame duplicate racing the chunk's holder) keeps its bytes until
 * they are verified and it takes the chunk over: a hidden file beside the {@code .part} file (same
 * file system, so the copy into place can stay in the kernel), opened with DELETE_ON_CLOSE (on Linux
 * the JDK unlinks it right after opening, so it never shows in the directory). One left by a crash
 * between creating and opening it is removed when the {@code .part} file is opened again.
 */
final class Spill implements Closeable {

    private static final String SUFFIX = ".spill";

    private final FileChannel channel;

    private Spill(FileChannel channel) {
        this.channel = channel;
    }

    static Spill create(Path part) throws IOException {
        Path file = Files.createTempFile(part.getParent(), prefix(part), SUFFIX);
        return new Spill(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE));
    }

    /** Writes {@code buffers} at {@code position} of the spill. */
    void write(List<ByteBuffer> buffers, long position) throws IOException {
        long pos = position;
        for (ByteBuffer b : buffers) {
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        }
    }

    /** Copies the spill's first {@code length} bytes to {@code target} at {@code position}. */
    void copyTo(FileChannel target, long position, long length) throws IOException {
        channel.position(0);
        for (long done = 0; done < length; ) {
            long n = target.transferFrom(channel, position + done, length - done);
            if (n <= 0) {
                throw new EOFException("spill holds " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Deleted on close; a leftover is removed with the download's next open.
        }
    }

    /** Deletes spills of {@code part} left by a coordinator that stopped mid-transfer. */
    static void removeLeftovers(Path part) throws IOException {
        Path dir = part.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, glob(part))) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String prefix(Path part) {
        return "." + part.getFileName() + ".";
    }

    private static String glob(Path part) {
        return prefix(part).replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1") + "*" + SUFFIX;
    }
}
