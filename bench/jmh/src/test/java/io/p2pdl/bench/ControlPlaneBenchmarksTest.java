package io.p2pdl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.lease.ChunkCounts;
import io.p2pdl.coordinator.lease.LeaseTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks measure what they claim: each benchmark's operation is run once, small, and its
 * effect checked. Nothing here measures time; bench/jmh/run.sh runs the real benchmarks.
 */
class ControlPlaneBenchmarksTest {

    @Test
    void planningATebibyteRegistersEveryChunkQueued() {
        PlanBenchmark bench = new PlanBenchmark();
        bench.sizeGiB = 1024;
        bench.chunkMiB = 1;
        ChunkCounts counts = bench.planAndRegister().counts("bench-plan");
        // 1,048,576 chunks of 1 MiB, the last 16 cut into 64 tail pieces (docs/chunk-state-machine.md).
        assertEquals(1_048_576 - 16 + 64, counts.total());
        assertEquals(1_048_576 - 16 + 64, counts.queued());
    }

    @Test
    void leaseCycleWritesChunksThatTheFlusherMakesDone() {
        LeaseBenchmark.Cluster cluster = new LeaseBenchmark.Cluster(100, 4);
        for (int i = 0; i < 60; i++) {
            assertEquals(i, cluster.leaseOneChunk("worker-" + (i % 7)));
        }
        cluster.flush();
        ChunkCounts counts = cluster.table.counts("bench-1");
        assertEquals(60, counts.done());
        assertEquals(40, counts.queued());
        assertEquals(0, counts.leased());
    }

    @Test
    void leaseCycleRegistersANewDownloadWhenTheFirstIsDone() {
        LeaseBenchmark.Cluster cluster = new LeaseBenchmark.Cluster(10, 4);
        for (int i = 0; i < 10; i++) {
            cluster.leaseOneChunk("w");
        }
        cluster.flush();
        assertEquals(-1, cluster.leaseOneChunk("w"), "no work left: the call refills instead");
        assertEquals(0, cluster.leaseOneChunk("w"), "first chunk of the next download");
        assertTrue(cluster.table.isRegistered("bench-2"));
    }

    @Test
    void latencyRecorderReportsQuantilesByBucket() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 1; i <= 1000; i++) {
            r.record(i * 10_000L); // 0.01 ms .. 10 ms
        }
        assertEquals(1000, r.count());
        assertEquals(5.01, r.quantileMillis(0.5), 0.011);
        assertEquals(9.91, r.quantileMillis(0.99), 0.011);
        assertEquals(10.0, r.maxMillis(), 1e-9);
        LatencyRecorder sum = new LatencyRecorder();
        sum.addAll(r);
        sum.addAll(r);
        assertEquals(2000, sum.count());
        assertEquals(r.quantileMillis(0.99), sum.quantileMillis(0.99), 1e-9);
    }

    @Test
    void restartRecoversEveryChunkRecordedDone(@TempDir Path stateDir) throws Exception {
        RestartBenchmark.writeJournal(stateDir, 1000, 3);
        LeaseTable table = RestartBenchmark.recover(stateDir);
        ChunkCounts counts = table.counts("bench-restart");
        assertEquals(1000, counts.total());
        assertEquals(1000, counts.done());
    }
}
