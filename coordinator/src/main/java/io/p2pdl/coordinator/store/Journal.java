package io.p2pdl.coordinator.store;

import io.p2pdl.proto.state.v1.JournalRecord;
import java.io.ByteArrayOutputStream;
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
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            byte[] data = readAll(ch);
            if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
                throw new IOException(file + " is not a p2pdl journal (bad or truncated magic)");
            }
            List<JournalRecord> records = new ArrayList<>();
            int pos = MAGIC.length;
            while (true) {
                int end = validFrameEnd(data, pos);
                if (end < 0) {
                    break;
                }
                records.add(JournalRecord.parseFrom(ByteBuffer.wrap(data, pos + FRAME_HEADER, end - pos - FRAME_HEADER)));
                pos = end;
            }
            long discarded = data.length - pos;
            if (discarded > 0) {
                ch.truncate(pos);
                ch.force(true);
            }
            ch.position(pos);
            return new Recovered(new Journal(ch), records, discarded);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** End offset of the frame at {@code pos}, or -1 when it is incomplete, oversized or corrupt. */
    private static int validFrameEnd(byte[] data, int pos) {
        if (data.length - pos < FRAME_HEADER) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(data, pos, FRAME_HEADER);
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > MAX_RECORD || data.length - pos - FRAME_HEADER < length) {
            return -1;
        }
        CRC32C c = new CRC32C();
        c.update(data, pos + FRAME_HEADER, length);
        if ((int) c.getValue() != crc) {
            return -1;
        }
        try {
            JournalRecord.parseFrom(ByteBuffer.wrap(data, pos + FRAME_HEADER, length));
        } catch (IOException e) {
            return -1;
        }
        return pos + FRAME_HEADER + length;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        ch.position(0);
        while (ch.read(buf) > 0) {
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return out.toByteArray();
    }
}
