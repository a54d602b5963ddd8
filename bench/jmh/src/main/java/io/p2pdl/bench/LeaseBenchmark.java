package io.p2pdl.bench;

import io.p2pdl.coordinator.lease.Lease;
import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.coordinator.lease.Result;
import io.p2pdl.coordinator.lease.TransferTicket;
import io.p2pdl.coordinator.plan.ChunkPlan;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lease throughput and latency: 500 threads, each a simulated worker, run the coordinator's lease
 * bookkeeping of one chunk in a loop — {@code GetChunk} (acquire), the transfer's begin, one
 * renewal per 256 KiB frame and the verified finish — against one shared {@link LeaseTable} with
 * the default policy (30 s TTL, endgame on). Beside them, like in the service, a flusher takes the
 * written chunks every 200 ms and marks them durable, and the expiry sweep runs every second.
 * Targets on 2 cores: ≥ 20,000 leases/s ({@link #leaseThroughput}) and p99 < 5 ms
 * ({@link #leaseLatency}, JMH's {@code p0.99}). No network, no disk: this is the control plane.
 */
@State(Scope.Benchmark)
@Threads(500)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Xms3g"})
public class LeaseBenchmark {

    /** Chunks per download (16 Mi: enough that a run never drains it; if it does, a new one is registered). */
    @Param("16777216")
    public int chunks;

    /** Frames per chunk: one lease renewal each (1 MiB chunks in 256 KiB frames). */
    @Param("4")
    public int framesPerChunk;

    Cluster cluster;

    @Setup(Level.Trial)
    public void start() {
        cluster = new Cluster(chunks, framesPerChunk);
        cluster.startBackground();
    }

    @TearDown(Level.Trial)
    public void stop() {
        cluster.stop();
    }

    /** One simulated worker. */
    @State(Scope.Thread)
    public static class Worker {
        private static final AtomicInteger IDS = new AtomicInteger();
        final String id = "worker-" + IDS.incrementAndGet();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int leaseThroughput(Worker worker) {
        return cluster.leaseOneChunk(worker.id);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int leaseLatency(Worker worker) {
        return cluster.leaseOneChunk(worker.id);
    }

    /** The shared lease table and the service's periodic jobs around it. */
    static final class Cluster {
        final LeaseTable table = new LeaseTable(LeasePolicy.defaults(), System::nanoTime);
        private final int chunks;
        private final int framesPerChunk;
        private final AtomicInteger downloads = new AtomicInteger();
        private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-service");
            t.setDaemon(true);
            return t;
        });

        Cluster(int chunks, int framesPerChunk) {
            this.chunks = chunks;
            this.framesPerChunk = framesPerChunk;
            register();
        }

        private void register() {
            table.register("bench-" + downloads.incrementAndGet(), new ChunkPlan(chunks * 1048576L, 1048576L),
                    new BitSet());
        }

        void startBackground() {
            background.scheduleWithFixedDelay(this::flush, 200, 200, TimeUnit.MILLISECONDS);
            background.scheduleWithFixedDelay(table::expire, 1, 1, TimeUnit.SECONDS);
        }

        void stop() {
            background.shutdownNow();
        }

        /** Leases, transfers and finishes one chunk; returns its index, or -1 when there was no work. */
        int leaseOneChunk(String workerId) {
            Optional<Lease> got = table.acquire(workerId);
            if (got.isEmpty()) {
                refill();
                return -1;
            }
            Lease l = got.get();
            Result<TransferTicket> begun = table.beginTransfer(l.leaseId(), l.downloadId(), l.chunk(), l.offset(),
                    l.length());
            if (!begun.isOk()) {
                throw new IllegalStateException(begun.message());
            }
            for (int i = 0; i < framesPerChunk; i++) {
                table.renew(l.leaseId());
            }
            table.finishTransfer(begun.value(), true);
            return l.chunk();
        }

        /** Written chunks become durable (the service forces the file, then journals them). */
        void flush() {
            for (String id : table.downloadIds()) {
                List<Integer> written = table.takeWritten(id);
                if (table.markDone(id, written)) {
                    table.unregister(id);
                }
            }
        }

        /** Registers a fresh download once every chunk is leased (only if a run outlives 16 Mi chunks). */
        private synchronized void refill() {
            for (String id : table.downloadIds()) {
                if (table.counts(id).queued() > 0) {
                    return;
                }
            }
            register();
        }
    }
}
