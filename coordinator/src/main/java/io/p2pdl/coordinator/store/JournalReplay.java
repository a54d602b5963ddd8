package io.p2pdl.coordinator.store;

import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import io.p2pdl.proto.state.v1.StateChanged;
import java.util.BitSet;
import java.util.List;

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
        if (records.isEmpty() || !records.get(0).hasCreated()) {
            throw new IllegalArgumentException("journal does not start with a created record");
        }
        DownloadCreated created = records.get(0).getCreated();
        BitSet done = new BitSet();
        StateChanged last = null;
        String finalUrl = created.getFinalUrl();
        for (JournalRecord r : records.subList(1, records.size())) {
            switch (r.getRecordCase()) {
                case CHUNKS_DONE -> r.getChunksDone().getChunksList().forEach(i -> done.set(Math.toIntExact(i)));
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
        return new JournalReplay(created, done, last, finalUrl);
    }
}
