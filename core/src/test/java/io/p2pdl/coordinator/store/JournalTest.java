package io.p2pdl.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.state.v1.ChunksDone;
import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import io.p2pdl.proto.state.v1.StateChanged;
import io.p2pdl.proto.v1.DownloadState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static JournalRecord created() {
        return JournalRecord.newBuilder().setCreated(DownloadCreated.newBuilder().setId("d1")
                .setUrl("http://example.test/f").setSizeBytes(10L << 20).setChunkSizeBytes(1 << 20).setRanges(true))
                .build();
    }

    private static JournalRecord done(long... chunks) {
        ChunksDone.Builder b = ChunksDone.newBuilder();
        for (long c : chunks) {
            b.addChunks(c);
        }
        return JournalRecord.newBuilder().setChunksDone(b).build();
    }

    /** Writes a journal and returns the file length after each record. */
    private List<Long> writeSample(Path file, List<JournalRecord> rest) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (Journal j = Journal.create(file, created())) {
            ends.add(Files.size(file));
            for (JournalRecord r : rest) {
                j.append(r);
                j.force();
                ends.add(Files.size(file));
            }
        }
        return ends;
    }

    @Test
    void recordsSurviveReopen() throws IOException {
        Path file = dir.resolve("j");
        List<JournalRecord> rest = List.of(done(0, 1), done(5), JournalRecord.newBuilder()
                .setStateChanged(StateChanged.newBuilder().setState(DownloadState.PAUSED)).build());
        writeSample(file, rest);
        Journal.Recovered r = Journal.open(file);
        r.journal().close();
        assertEquals(4, r.records().size());
        JournalReplay replay = JournalReplay.of(r.records());
        assertEquals(BitSet.valueOf(new long[] {0b100011}), replay.done());
        assertEquals(DownloadState.PAUSED, replay.lastState().getState());
        assertEquals(0, r.discardedBytes());
    }

    @Test
    void journalTruncatedAtEveryByteRecoversTheLongestValidPrefix() throws IOException {
        Path full = dir.resolve("full");
        List<JournalRecord> rest = List.of(done(0), done(1, 2), done(3), done(9, 7));
        List<Long> ends = writeSample(full, rest);
        byte[] bytes = Files.readAllBytes(full);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Path file = dir.resolve("cut" + cut);
            Files.write(file, Arrays.copyOf(bytes, cut));
            if (cut < Journal.MAGIC.length) {
                assertThrows(IOException.class, () -> Journal.open(file), "cut at " + cut);
                continue;
            }
            int complete = 0;
            for (long end : ends) {
                if (end <= cut) {
                    complete++;
                }
            }
            Journal.Recovered r = Journal.open(file);
            assertEquals(complete, r.records().size(), "records after cut at " + cut);
            long validEnd = complete == 0 ? Journal.MAGIC.length : ends.get(complete - 1);
            assertEquals(cut - validEnd, r.discardedBytes(), "torn tail after cut at " + cut);
            // The journal must accept appends after recovery, and they must be readable.
            r.journal().append(done(8));
            r.journal().close();
            Journal.Recovered again = Journal.open(file);
            again.journal().close();
            assertEquals(complete + 1, again.records().size(), "append after recovery at cut " + cut);
            if (complete > 0) {
                BitSet expected = new BitSet();
                for (JournalRecord rec : rest.subList(0, complete - 1)) {
                    rec.getChunksDone().getChunksList().forEach(i -> expected.set(i.intValue()));
                }
                expected.set(8);
                assertEquals(expected, JournalReplay.of(again.records()).done(), "done chunks at cut " + cut);
            }
        }
    }

    @Test
    void corruptRecordEndsTheJournalThere() throws IOException {
        Path file = dir.resolve("j");
        List<Long> ends = writeSample(file, List.of(done(0), done(1), done(2)));
        byte[] bytes = Files.readAllBytes(file);
        int inSecond = (int) (ends.get(1) + 9);
        bytes[inSecond] ^= 0x40;
        Files.write(file, bytes);
        Journal.Recovered r = Journal.open(file);
        r.journal().close();
        assertEquals(2, r.records().size());
        assertEquals(ends.get(3) - ends.get(1), r.discardedBytes());
        assertEquals(ends.get(1), Files.size(file), "garbage tail truncated");
    }

    @Test
    void streamingOpenFoldsTheSameStateAsTheRecordList() throws IOException {
        Path file = dir.resolve("j");
        writeSample(file, List.of(done(0, 1), done(7), JournalRecord.newBuilder().setStateChanged(StateChanged
                .newBuilder().setState(DownloadState.FAILED).setResetChunks(true)).build(), done(2, 9)));
        Journal.Recovered listed = Journal.open(file);
        listed.journal().close();
        JournalReplay.Fold fold = new JournalReplay.Fold();
        List<JournalRecord> streamed = new ArrayList<>();
        Journal.Opened opened = Journal.open(file, fold.andThen(streamed::add));
        opened.journal().close();
        assertEquals(listed.records(), streamed);
        JournalReplay replay = fold.result();
        assertEquals(JournalReplay.of(listed.records()), replay);
        assertEquals(BitSet.valueOf(new long[] {(1L << 2) | (1L << 9)}), replay.done(), "reset, then 2 and 9");
    }

    @Test
    void foldOfAJournalWithoutCreatedRecordIsRefused() {
        JournalReplay.Fold fold = new JournalReplay.Fold();
        fold.accept(done(1));
        fold.accept(created());
        assertThrows(IllegalArgumentException.class, fold::result);
        assertThrows(IllegalArgumentException.class, () -> new JournalReplay.Fold().result());
    }

    @Test
    void replayNeedsCreatedRecordFirst() {
        assertThrows(IllegalArgumentException.class, () -> JournalReplay.of(List.of(done(1))));
    }

    @Test
    void storeRoundTripsDownloadsAndDropsUnfinishedCreations() throws IOException {
        DownloadStore store = new DownloadStore(dir);
        try (Journal j = store.create("d1", created())) {
            j.append(done(3));
            j.force();
        }
        Files.createDirectories(dir.resolve("downloads").resolve("d2.tmp"));
        List<DownloadStore.Loaded> loaded = store.loadAll();
        assertEquals(1, loaded.size());
        assertEquals("d1", loaded.get(0).id());
        assertTrue(loaded.get(0).replay().done().get(3));
        loaded.get(0).journal().close();
        assertTrue(Files.notExists(dir.resolve("downloads").resolve("d2.tmp")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("downloads").resolve("d1").resolve("journal"))));
    }
}
