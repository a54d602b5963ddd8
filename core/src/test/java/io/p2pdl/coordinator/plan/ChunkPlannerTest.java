package io.p2pdl.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

    private static final long MIB = 1024 * 1024;
    private final ChunkPlanner planner = new ChunkPlanner(MIB);

    @ParameterizedTest(name = "size {0} gives {1} chunks, last {2} bytes")
    @CsvSource({
        "0, 0, 0",
        "1, 1, 1",
        "1048575, 1, 1048575",
        "1048576, 1, 1048576",
        "1048577, 2, 1",
        "16777216, 22, 262144",
        "5368709121, 5166, 1",
    })
    void chunksCoverTheFileExactly(long size, int chunks, long lastLength) {
        ChunkPlan plan = planner.plan(size, 0);
        assertEquals(chunks, plan.chunkCount());
        long covered = 0;
        for (int i = 0; i < plan.chunkCount(); i++) {
            assertEquals(covered, plan.offset(i), "chunk " + i + " starts where the previous ended");
            covered += plan.length(i);
        }
        assertEquals(size, covered);
        if (chunks > 0) {
            assertEquals(lastLength, plan.length(chunks - 1));
        }
    }

    @Test
    void offsetsBeyondFourGibDoNotOverflow() {
        ChunkPlan plan = planner.plan(8L * 1024 * MIB + 3, 0);
        int last = plan.chunkCount() - 1;
        assertEquals(8L * 1024 * MIB, plan.offset(last));
        assertEquals(3, plan.length(last));
    }

    @Test
    void theLastEighthOfTheChunksAtMostSixteenIsCutIntoQuarterPieces() {
        ChunkPlan plan = planner.plan(512 * MIB, 4 * MIB);
        assertEquals(16, plan.tailChunks());
        assertEquals(112 + 64, plan.chunkCount());
        assertEquals(4 * MIB, plan.length(111));
        assertEquals(448 * MIB, plan.offset(112));
        assertEquals(MIB, plan.length(112));
        assertEquals(511 * MIB, plan.offset(175));
        assertEquals(2, planner.plan(16 * MIB, 0).tailChunks());
        assertEquals(0, planner.plan(15 * MIB, 0).tailChunks(), "below 16 chunks nothing is cut");
        assertEquals(16, planner.plan(1024 * MIB, 0).tailChunks());
    }

    @Test
    void doneBytesCountHeadChunksTailPiecesAndAShortLastPiece() {
        ChunkPlan plan = planner.plan(16 * MIB + 5, 0); // 17 equal chunks: 15 + 2 cut into 256 KiB pieces
        assertEquals(15 + 5, plan.chunkCount());
        BitSet done = new BitSet();
        done.set(0, plan.chunkCount());
        assertEquals(plan.size(), plan.bytesOf(done));
        done.clear();
        done.set(3);
        done.set(15);
        assertEquals(MIB + MIB / 4, plan.bytesOf(done));
        done.set(plan.chunkCount() - 1);
        assertEquals(MIB + MIB / 4 + 5, plan.bytesOf(done));
    }

    @Test
    void aPlanWithoutTailIsEqualChunks() {
        ChunkPlan plan = new ChunkPlan(10 * MIB + 1, MIB);
        assertEquals(11, plan.chunkCount());
        assertEquals(10 * MIB, plan.offset(10));
        BitSet done = new BitSet();
        done.set(9, 11);
        assertEquals(MIB + 1, plan.bytesOf(done));
    }

    @Test
    void requestedChunkSizeOverridesDefault() {
        assertEquals(4 * MIB, planner.plan(10 * MIB, 4 * MIB).chunkSize());
        assertEquals(3, planner.plan(10 * MIB, 4 * MIB).chunkCount());
    }

    @Test
    void chunkSizeOutOfBoundsIsRejectedWithReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> planner.plan(10, 1000));
        assertEquals("chunk size 1000 bytes is outside 65536..1073741824 bytes", e.getMessage());
    }

    @Test
    void tooManyChunksIsRejected() {
        long size = (long) ChunkPlanner.MAX_CHUNKS * ChunkPlanner.MIN_CHUNK + 1;
        assertThrows(IllegalArgumentException.class, () -> planner.plan(size, ChunkPlanner.MIN_CHUNK));
    }

    @Test
    void indexOutsidePlanIsRejected() {
        ChunkPlan plan = planner.plan(MIB, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> plan.offset(1));
    }
}
