package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.lease.ChunkCounts;
import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.fetch.origin.UrlRedactor;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.util.BitSet;
import java.util.Optional;

/** Builds the admin API's {@link Download} status from a record and its chunk counts. */
final class DownloadViews {

    private DownloadViews() {
    }

    static Download toProto(DownloadRecord r, Optional<ChunkCounts> live, UrlRedactor redactor) {
        Download.Builder b = Download.newBuilder()
                .setId(r.id)
                .setUrl(redactor.redact(r.created.getUrl()))
                .setOutputName(r.created.getOutputName())
                .setOutputPath(r.target.toString())
                .setState(r.state())
                .setFailureReason(r.reason())
                .setMessage(redactor.redactText(r.message()))
                .setSizeBytes(r.created.getSizeBytes())
                .setChunkSizeBytes(r.created.getChunkSizeBytes())
                .setResumable(r.chunked())
                .setSha256(r.sha256())
                .setCreatedAtUnixMs(r.created.getCreatedAtUnixMs())
                .setFinishedAtUnixMs(r.finishedAtMs())
                .setDurationMs(r.activeMs())
                .setOwner(r.created.getOwner());
        if (r.created.hasChecksum()) {
            b.setExpectedChecksum(r.created.getChecksum());
        }
        if (!r.chunked()) {
            boolean done = r.state() == DownloadState.COMPLETED;
            long streamed = done && r.created.getSizeBytes() >= 0 ? r.created.getSizeBytes() : r.streamedBytes;
            return b.setChunksTotal(1).setChunksDone(done ? 1 : 0).setCompletedBytes(streamed)
                    .setChunksLeased(done || r.terminal() ? 0 : 1).build();
        }
        if (live.isPresent()) {
            ChunkCounts c = live.get();
            return b.setChunksTotal(c.total()).setChunksDone(c.done()).setChunksLeased(c.leased() + c.written())
                    .setChunksQueued(c.queued()).setCompletedBytes(c.doneBytes()).setActiveWorkers(c.activeWorkers())
                    .build();
        }
        BitSet done = r.savedDone();
        ChunkPlan plan = r.plan;
        int total = plan.chunkCount();
        return b.setChunksTotal(total).setChunksDone(done.cardinality())
                .setChunksQueued(r.terminal() ? 0 : total - done.cardinality())
                .setCompletedBytes(plan.bytesOf(done)).build();
    }
}
