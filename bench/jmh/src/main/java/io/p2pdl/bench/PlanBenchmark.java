package io.p2pdl.bench;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.coordinator.plan.ChunkPlanner;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a download: what Submit does after the probe — choose the chunk plan and register every
 * chunk, queued, in a {@link LeaseTable}. Target for 1 TiB in 1 MiB chunks (1,048,576 chunks, the
 * last 16 of them cut into 64 tail pieces):
 * under 1 s and under 64 MiB of heap. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is
 * every byte allocated per plan, an upper bound of what the plan's state retains.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class PlanBenchmark {

    /** File size in GiB (1024 = 1 TiB). */
    @Param("1024")
    public long sizeGiB;

    /** Chunk size in MiB. */
    @Param("1")
    public long chunkMiB;

    private final ChunkPlanner planner = new ChunkPlanner(1024 * 1024);

    /** Plans the file and registers its chunks in a fresh table (returned so JMH keeps it alive). */
    @Benchmark
    public LeaseTable planAndRegister() {
        ChunkPlan plan = planner.plan(sizeGiB << 30, chunkMiB << 20);
        LeaseTable table = new LeaseTable(LeasePolicy.defaults(), System::nanoTime);
        table.register("bench-plan", plan, new BitSet());
        return table;
    }
}
