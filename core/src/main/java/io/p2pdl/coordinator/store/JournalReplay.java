package io.p2pdl.coordinator.store;

import io.p2pdl.proto.state.v1.ChunksDone;
import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import io.p2pdl.proto.state.v1.StateChanged;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state of one download as rebuilt from its journal records.
 *
 * @param created what was submitted and probed
 * @param done durable chunks
 * @param lastState the latest state change, or null when none was recorded (still running)
 * @param finalUrl the latest resolved URL
 */
public record JournalReplay(DownloadCreated created, BitSet done, StateChanged lastState, String finalUrl) {

    /**
     * Folds records in order.
     *
     * @throws IllegalArgumentException when the first record is not {@code created}
     */
    public static JournalReplay of(List<JournalRecord> records) {
        Fold fold = new Fold();
        records.forEach(fold);
        return fold.result();
    }

    /**
     * Folds records one at a time, as {@link Journal#open(java.nio.file.Path, java.util.function.Consumer)}
     * reads them, so a long journal is never held in memory as a list.
     */
    public static final class Fold implements Consumer<JournalRecord> {
        private DownloadCreated created;
        private final BitSet done = new BitSet();
        private StateChanged last;
        private String finalUrl;
        private boolean badStart;

        @Override
        public void accept(JournalRecord r) {
            if (created == null) {
                if (r.hasCreated()) {
                    created = r.getCreated();
                    finalUrl = created.getFinalUrl();
                } else {
                    badStart = true;
                }
                return;
            }
            switch (r.getRecordCase()) {
                case CHUNKS_DONE -> {
                    ChunksDone d = r.getChunksDone();
                    for (int i = 0, n = d.getChunksCount(); i < n; i++) {
                        done.set(Math.toIntExact(d.getChunks(i)));
                    }
                }
                case STATE_CHANGED -> {
                    last = r.getStateChanged();
                    if (last.getResetChunks()) {
                        done.clear();
                    }
                }
                case ORIGIN_RESOLVED -> finalUrl = r.getOriginResolved().getFinalUrl();
                default -> {
                    // A record type from a newer version: ignore, older state stays valid.
                }
            }
        }

        /**
         * The state after every record so far.
         *
         * @throws IllegalArgumentException when the first record was not {@code created} (or none came)
         */
        public JournalReplay result() {
            if (created == null || badStart) {
                throw new IllegalArgumentException("journal does not start with a created record");
            }
            return new JournalReplay(created, (BitSet) done.clone(), last, finalUrl);
        }
    }
}
