package io.p2pdl.coordinator.download;

import com.google.protobuf.ByteString;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferOutcome;
import io.p2pdl.proto.v1.TransferResult;
import io.p2pdl.proto.v1.TransferTrailer;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Plays a worker against a {@link DownloadService} directly, reading bytes from the test content
 * instead of over HTTP, so service tests exercise leases and transfers without processes.
 */
final class InTestWorker {

    private final DownloadService service;
    private final String id;

    InTestWorker(DownloadService service, String id) {
        this.service = service;
        this.id = id;
    }

    Optional<ChunkLease> lease() {
        return service.lease(id);
    }

    /** Leases until chunk {@code index} comes back (after its retry backoff), releasing nothing else. */
    ChunkLease leaseChunk(long index) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Optional<ChunkLease> lease = lease();
            if (lease.isPresent() && lease.get().getChunkIndex() == index) {
                return lease.get();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("chunk " + index + " never leased again");
    }

    /** Sends the lease's bytes from {@code content} in 256 KiB frames with the right CRC. */
    TransferResult deliver(ChunkLease lease, Content content) throws TransferException {
        byte[] bytes = content.read(lease.getOffset(), Math.toIntExact(lease.getLength()));
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return send(lease, bytes, (int) crc.getValue(), ChunkReceiver.MAX_FRAME);
    }

    TransferResult send(ChunkLease lease, byte[] bytes, int crc, int frame) throws TransferException {
        ChunkReceiver rx = service.receiver();
        rx.accept(TransferFrame.newBuilder().setHeader(TransferHeader.newBuilder().setLeaseId(lease.getLeaseId())
                .setDownloadId(lease.getDownloadId()).setChunkIndex(lease.getChunkIndex())
                .setOffset(lease.getOffset()).setLength(lease.getLength()).setWorkerId(id)).build());
        for (int off = 0; off < bytes.length; off += frame) {
            int n = Math.min(frame, bytes.length - off);
            rx.accept(TransferFrame.newBuilder().setData(ByteString.copyFrom(bytes, off, n)).build());
        }
        return rx.accept(TransferFrame.newBuilder().setTrailer(TransferTrailer.newBuilder().setCrc32C(crc)).build())
                .orElseThrow();
    }

    /** Fetches and delivers chunks until no work is left; returns how many were accepted. */
    int drain(Content content) throws TransferException {
        int accepted = 0;
        Optional<ChunkLease> lease;
        while ((lease = lease()).isPresent()) {
            if (deliver(lease.get(), content).getOutcome() == TransferOutcome.ACCEPTED) {
                accepted++;
            }
        }
        return accepted;
    }
}
