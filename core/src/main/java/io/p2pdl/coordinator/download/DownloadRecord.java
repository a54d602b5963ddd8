package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.coordinator.store.Journal;
import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import io.p2pdl.proto.state.v1.StateChanged;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * One download as the coordinator holds it in memory: what was submitted, where it stands, and the
 * open journal and {@code .part} file. Guarded by its own monitor; chunk-level progress lives in the
 * {@code LeaseTable} while the download is registered there.
 */
final class DownloadRecord {

    final String id;
    final DownloadCreated created;
    /** Null for single-stream downloads, whose size may be unknown. */
    final ChunkPlan plan;
    final Path target;
    final Path part;
    private final Journal journal;

    private volatile String finalUrl;
    private DownloadState state = DownloadState.RUNNING;
    private FailureReason reason = FailureReason.FAILURE_REASON_UNSPECIFIED;
    private String message;
    private String sha256 = "";
    private long finishedAtMs;
    private long activeMsBefore;
    private long runningSinceNanos;
    /** Durable chunks while not registered in the lease table (paused, failed, completed). */
    private BitSet savedDone = new BitSet();
    private FileChannel channel;
    /** Bytes received by the single-stream fetch so far. */
    volatile long streamedBytes;
    /** Last time the origin URL was resolved again, in nanos (0 = never). */
    long lastReResolveNanos;
    boolean reResolving;

    DownloadRecord(String id, DownloadCreated created, ChunkPlan plan, Path target, Journal journal) {
        this.id = id;
        this.created = created;
        this.plan = plan;
        this.target = target;
        this.part = OutputNames.partFile(target);
        this.journal = journal;
        this.finalUrl = created.getFinalUrl();
        this.message = created.getNote();
    }

    boolean chunked() {
        return plan != null;
    }

    String finalUrl() {
        return finalUrl;
    }

    synchronized void resolvedAgain(String url) throws IOException {
        finalUrl = url;
        journal.append(JournalRecord.newBuilder()
                .setOriginResolved(io.p2pdl.proto.state.v1.OriginResolved.newBuilder().setFinalUrl(url)).build());
        journal.force();
    }

    synchronized DownloadState state() {
        return state;
    }

    synchronized FailureReason reason() {
        return reason;
    }

    synchronized String message() {
        return message;
    }

    synchronized String sha256() {
        return sha256;
    }

    synchronized long finishedAtMs() {
        return finishedAtMs;
    }

    synchronized boolean terminal() {
        return state == DownloadState.COMPLETED || state == DownloadState.FAILED;
    }

    synchronized long activeMs() {
        return activeMsBefore + (runningSinceNanos == 0 ? 0 : (System.nanoTime() - runningSinceNanos) / 1_000_000);
    }

    /** Restores what the journal said, without writing to it. */
    synchronized void restore(StateChanged last, BitSet done) {
        savedDone = (BitSet) done.clone();
        if (last != null) {
            state = last.getState();
            reason = last.getReason();
            message = last.getMessage();
            sha256 = last.getSha256();
            activeMsBefore = last.getActiveMs();
            finishedAtMs = terminal() ? last.getAtUnixMs() : 0;
        }
    }

    /**
     * Moves to {@code next} and journals it durably (a state change is rare, so it is forced at once).
     * Leaving RUNNING stops the activity clock; entering it starts it.
     */
    synchronized void transition(DownloadState next, FailureReason why, String line, String sha) throws IOException {
        long active = activeMs();
        state = next;
        reason = why;
        message = line == null ? "" : line;
        sha256 = sha == null ? "" : sha;
        activeMsBefore = active;
        runningSinceNanos = next == DownloadState.RUNNING || next == DownloadState.VERIFYING ? System.nanoTime() : 0;
        finishedAtMs = terminal() ? System.currentTimeMillis() : 0;
        StateChanged.Builder change = StateChanged.newBuilder().setState(next).setReason(why).setMessage(message)
                .setAtUnixMs(System.currentTimeMillis()).setActiveMs(active).setSha256(sha256);
        journal.append(JournalRecord.newBuilder().setStateChanged(change).build());
        journal.force();
    }

    /** Journals that all chunks must be fetched again because the {@code .part} file was lost. */
    synchronized void resetChunks(String why) throws IOException {
        savedDone = new BitSet();
        journal.append(JournalRecord.newBuilder().setStateChanged(StateChanged.newBuilder()
                .setState(DownloadState.RUNNING).setMessage(why).setAtUnixMs(System.currentTimeMillis())
                .setActiveMs(activeMs()).setResetChunks(true)).build());
        journal.force();
    }

    /** Starts the activity clock for a download resumed after a restart (no journal entry). */
    synchronized void startClock() {
        if (runningSinceNanos == 0) {
            runningSinceNanos = System.nanoTime();
        }
    }

    /** Journals durable chunks (the caller forced their bytes first). */
    void journalDone(io.p2pdl.proto.state.v1.ChunksDone done) throws IOException {
        journal.append(JournalRecord.newBuilder().setChunksDone(done).build());
        journal.force();
    }

    synchronized BitSet savedDone() {
        return (BitSet) savedDone.clone();
    }

    synchronized void saveDone(BitSet done) {
        savedDone = (BitSet) done.clone();
    }

    /** Digests of the done prefix computed while the download runs; null for single streams. */
    volatile PrefixHash prefixHash;

    synchronized FileChannel channel() {
        return channel;
    }

    synchronized void open(FileChannel ch) {
        channel = ch;
    }

    /** Closes the {@code .part} file; later writes fail and are rejected. */
    synchronized void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was pending: data was forced before any state change that closes.
            }
            channel = null;
        }
    }

    void closeJournal() {
        try {
            journal.close();
        } catch (IOException ignored) {
            // Journal writes are forced as they happen.
        }
    }
}
