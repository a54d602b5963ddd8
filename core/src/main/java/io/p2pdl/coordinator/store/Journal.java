package io.p2pdl.coordinator.store;

import io.p2pdl.proto.state.v1.JournalRecord;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of {@link JournalRecord}s, framed so that a crash at any byte leaves a valid
 * prefix: {@code MAGIC} then records of {@code [u32 length][u32 CRC32C of payload][payload]}
 * (big-endian). On open, the first frame that is incomplete or fails its CRC ends the journal and
 * the file is truncated there, so later appends never follow garbage. Format: docs/state-format.md.
 */
public final class Journal implements Closeable {

    /** "P2PJ" and format version 1. */
    static final byte[] MAGIC = {'P', '2', 'P', 'J', 1};
    /** Upper bound of one record; anything larger is treated as corruption. */
    static final int MAX_RECORD = 64 * 1024 * 1024;
    private static final int FRAME_HEADER = 8;

    /** What {@link #open} found. */
    public record Recovered(Journal journal, List<JournalRecord> records, long discardedBytes) {
    }

    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** Creates a new journal holding {@code first}, forced to disk before returning. */
    public static Journal create(Path file, JournalRecord first) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        Journal journal = new Journal(ch);
        try {
            writeFully(ch, ByteBuffer.wrap(MAGIC));
            journal.append(first);
            journal.force();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return journal;
    }

    /**
     * Opens an existing journal, reads its valid records and truncates any torn or corrupt tail.
     *
     * @throws IOException when the file cannot be read or does not even hold a complete magic
     */
    public static Recovered open(Path file) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        Opened opened = open(file, records::add);
        return new Recovered(opened.journal(), records, opened.discardedBytes());
    }

    /** What {@link #open(Path, Consumer)} found besides the records it handed over. */
    public record Opened(Journal journal, long discardedBytes) {
    }

    /**
     * As {@link #open(Path)}, but hands each valid record to {@code sink} in order instead of keeping
     * them all: a restart folds a million {@code chunks_done} records without holding them at once.
     * Records reach the sink only up to the first invalid frame, as {@link #open(Path)} returns them.
     */
    public static Opened open(Path file, Consumer<JournalRecord> sink) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            byte[] data = readAll(ch);
            if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
                throw new IOException(file + " is not a p2pdl journal (bad or truncated magic)");
            }
            int pos = MAGIC.length;
            CRC32C crc = new CRC32C();
            while (true) {
                JournalRecord record = validFrame(data, pos, crc);
                if (record == null) {
                    break;
                }
                sink.accept(record);
                pos += FRAME_HEADER + frameLength(data, pos);
            }
            long discarded = data.length - pos;
            if (discarded > 0) {
                ch.truncate(pos);
                ch.force(true);
            }
            ch.position(pos);
            return new Opened(new Journal(ch), discarded);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static int frameLength(byte[] data, int pos) {
        return ByteBuffer.wrap(data, pos, FRAME_HEADER).getInt();
    }

    /**
     * The record of the frame at {@code pos} (parsed once), or null when the frame is incomplete,
     * oversized, fails its CRC or does not parse.
     */
    private static JournalRecord validFrame(byte[] data, int pos, CRC32C c) {
        if (data.length - pos < FRAME_HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.wrap(data, pos, FRAME_HEADER);
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > MAX_RECORD || data.length - pos - FRAME_HEADER < length) {
            return null;
        }
        c.reset();
        c.update(data, pos + FRAME_HEADER, length);
        if ((int) c.getValue() != crc) {
            return null;
        }
        try {
            return JournalRecord.parseFrom(ByteBuffer.wrap(data, pos + FRAME_HEADER, length));
        } catch (IOException e) {
            return null;
        }
    }

    /** Appends one record (not yet durable: call {@link #force()}). */
    public synchronized void append(JournalRecord record) throws IOException {
        byte[] payload = record.toByteArray();
        CRC32C c = new CRC32C();
        c.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        frame.putInt(payload.length).putInt((int) c.getValue()).put(payload).flip();
        writeFully(channel, frame);
    }

    /** Makes every appended record durable. */
    public synchronized void force() throws IOException {
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static byte[] readAll(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("journal of " + size + " bytes is too large");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        ch.position(0);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            // read the whole file; a file that shrinks meanwhile ends the loop early
        }
        return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }
}
