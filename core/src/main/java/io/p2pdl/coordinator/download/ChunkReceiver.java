package io.p2pdl.coordinator.download;

import com.google.protobuf.ByteString;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.coordinator.lease.Result;
import io.p2pdl.coordinator.lease.TransferTicket;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferOutcome;
import io.p2pdl.proto.v1.TransferResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Receives one {@code TransferChunk} stream: checks the header against the lease and plan, writes
 * each frame at its position in the {@code .part} file as it arrives (memory stays one frame per
 * stream whatever the chunk size), and on the trailer checks byte count and CRC32C before the chunk
 * counts as written. A standby transfer (an endgame duplicate while the holder's transfer is still
 * writing) keeps its frames in a {@link Spill} instead and, verified, takes the chunk over and
 * copies them into place; it stops as soon as the holder's copy is written. Frames must be fed in
 * order from one thread at a time.
 */
public final class ChunkReceiver {

    /** Largest data frame accepted, in bytes. */
    public static final int MAX_FRAME = 256 * 1024;

    private final DownloadService service;
    private final LeaseTable leases;
    private final TransferEvents events;
    private TransferTicket ticket;
    private long startedNanos;
    private DownloadRecord record;
    private final CRC32C crc = new CRC32C();
    private long received;
    private boolean finished;
    private Spill spill;

    ChunkReceiver(DownloadService service, LeaseTable leases, TransferEvents events) {
        this.service = service;
        this.leases = leases;
        this.events = events;
    }

    /**
     * Feeds the next frame.
     *
     * @return the result once the trailer has been accepted, empty before
     */
    public Optional<TransferResult> accept(TransferFrame frame) throws TransferException {
        switch (frame.getFrameCase()) {
            case HEADER -> header(frame.getHeader());
            case DATA -> data(frame.getData());
            case TRAILER -> {
                return Optional.of(trailer(frame.getTrailer().getCrc32C()));
            }
            default -> throw fail(TransferError.PROTOCOL, "empty frame");
        }
        return Optional.empty();
    }

    private void header(TransferHeader h) throws TransferException {
        if (ticket != null) {
            throw fail(TransferError.PROTOCOL, "second header in one transfer");
        }
        Result<TransferTicket> begun = leases.beginTransfer(h.getLeaseId(), h.getDownloadId(), h.getChunkIndex(),
                h.getOffset(), h.getLength());
        if (!begun.isOk()) {
            throw fail(TransferError.valueOf(begun.rejection().name()), begun.message());
        }
        ticket = begun.value();
        startedNanos = System.nanoTime();
        record = service.record(h.getDownloadId());
        if (record == null) {
            throw fail(TransferError.DOWNLOAD_NOT_ACTIVE, "download " + h.getDownloadId() + " is gone");
        }
        if (ticket.standby()) {
            try {
                spill = Spill.create(record.part);
            } catch (IOException e) {
                // Only this duplicate is lost: the holder's transfer goes on.
                throw fail(TransferError.WRITE_FAILED, "cannot keep a duplicate of chunk " + ticket.lease().chunk()
                        + " aside: " + DiskErrors.describe(e));
            }
        }
    }

    private void data(ByteString bytes) throws TransferException {
        if (ticket == null) {
            throw fail(TransferError.PROTOCOL, "data before header");
        }
        int n = bytes.size();
        if (n > MAX_FRAME) {
            throw fail(TransferError.FRAME_TOO_LARGE, "frame of " + n + " bytes exceeds " + MAX_FRAME);
        }
        long length = ticket.lease().length();
        if (received + n > length) {
            throw fail(TransferError.TOO_MANY_BYTES, "more than the chunk's " + length + " bytes");
        }
        List<ByteBuffer> buffers = bytes.asReadOnlyByteBufferList();
        for (ByteBuffer b : buffers) {
            crc.update(b.duplicate());
        }
        if (spill != null) {
            keepAside(buffers);
        } else if (!ticket.verifyOnly()) {
            write(buffers, ticket.lease().offset() + received);
            events.bytesWritten(n);
        }
        received += n;
        leases.renew(ticket.lease().leaseId(), received);
    }

    private void write(List<ByteBuffer> buffers, long position) throws TransferException {
        writeUnderClaim(ch -> {
            long pos = position;
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
        });
    }

    /** Writes to the .part file in the chunk's region. */
    @FunctionalInterface
    private interface RegionWrite {
        void to(FileChannel part) throws IOException;
    }

    /** Runs {@code write} while this transfer still holds the chunk's claim. */
    private void writeUnderClaim(RegionWrite write) throws TransferException {
        FileChannel ch = record.channel();
        if (ch == null) {
            throw fail(TransferError.DOWNLOAD_NOT_ACTIVE, "download " + record.id + " is not accepting data");
        }
        boolean written;
        try {
            written = ticket.claim().writeIfValid(() -> write.to(ch));
        } catch (ClosedChannelException e) {
            throw fail(TransferError.DOWNLOAD_NOT_ACTIVE, "download " + record.id + " stopped accepting data");
        } catch (IOException e) {
            TransferError error = service.writeFailed(record, e);
            throw fail(error, "cannot write chunk " + ticket.lease().chunk() + ": " + e.getMessage());
        }
        if (!written) {
            throw fail(TransferError.SUPERSEDED, "another transfer of chunk " + ticket.lease().chunk() + " took over");
        }
    }

    private void keepAside(List<ByteBuffer> buffers) throws TransferException {
        if (!ticket.claim().isValid()) {
            throw fail(TransferError.SUPERSEDED, "chunk " + ticket.lease().chunk() + " was written by another transfer");
        }
        try {
            spill.write(buffers, received);
        } catch (IOException e) {
            throw fail(TransferError.WRITE_FAILED, "cannot keep a duplicate of chunk " + ticket.lease().chunk()
                    + " aside: " + DiskErrors.describe(e));
        }
    }

    /** A verified standby takes the chunk over from its holder and copies its bytes into place. */
    private void promote() throws TransferException {
        Result<Boolean> promoted = leases.promote(ticket);
        if (!promoted.isOk()) {
            throw fail(TransferError.valueOf(promoted.rejection().name()), promoted.message());
        }
        long length = ticket.lease().length();
        writeUnderClaim(ch -> spill.copyTo(ch, ticket.lease().offset(), length));
        events.bytesWritten(length);
    }

    private TransferResult trailer(int expectedCrc) throws TransferException {
        if (ticket == null) {
            throw fail(TransferError.PROTOCOL, "trailer before header");
        }
        long length = ticket.lease().length();
        if (received != length) {
            throw fail(TransferError.SHORT_TRANSFER, "got " + received + " of " + length + " bytes");
        }
        if ((int) crc.getValue() != expectedCrc) {
            throw fail(TransferError.CHECKSUM_MISMATCH, String.format("CRC32C of data is %08x, trailer says %08x",
                    (int) crc.getValue(), expectedCrc));
        }
        if (spill != null) {
            promote();
        }
        Result<Boolean> end = leases.finishTransfer(ticket, true);
        finished = true;
        closeSpill();
        if (!end.isOk()) {
            TransferError error = TransferError.valueOf(end.rejection().name());
            events.chunkRejected(error);
            throw new TransferException(error, end.message());
        }
        events.chunkReceived(end.value(), System.nanoTime() - startedNanos);
        return TransferResult.newBuilder()
                .setOutcome(end.value() ? TransferOutcome.ACCEPTED : TransferOutcome.DUPLICATE)
                .setBytesWritten(end.value() ? length : 0).build();
    }

    /** The stream ended without a trailer (cancelled, broken, or completed early). */
    public void abort() {
        if (ticket != null && !finished) {
            finished = true;
            leases.finishTransfer(ticket, false);
        }
        closeSpill();
    }

    private void closeSpill() {
        if (spill != null) {
            spill.close();
            spill = null;
        }
    }

    /** The stream completed; a missing trailer is a short transfer. */
    public TransferException incomplete() {
        abort();
        TransferError error = ticket == null ? TransferError.PROTOCOL : TransferError.SHORT_TRANSFER;
        events.chunkRejected(error);
        return new TransferException(error, ticket == null ? "stream ended without a header" : "stream ended after "
                + received + " of " + ticket.lease().length() + " bytes without a trailer");
    }

    private TransferException fail(TransferError error, String message) {
        abort();
        events.chunkRejected(error);
        return new TransferException(error, message);
    }
}
