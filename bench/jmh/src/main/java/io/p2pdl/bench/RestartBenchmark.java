package io.p2pdl.bench;

import io.p2pdl.coordinator.lease.LeasePolicy;
import io.p2pdl.coordinator.lease.LeaseTable;
import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.coordinator.store.DownloadStore;
import io.p2pdl.coordinator.store.Journal;
import io.p2pdl.proto.state.v1.ChunksDone;
import io.p2pdl.proto.state.v1.DownloadCreated;
import io.p2pdl.proto.state.v1.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Coordinator restart: what start-up does per download before serving — open the state directory,
 * read and check the journal (CRC of every frame), replay its records into the done bitmap, and
 * register the plan with those chunks done. The journal holds a 1 TiB download (1,048,576 chunks
 * of 1 MiB) with every chunk completed. Target: under 2 s.
 *
 * <p>Each measurement is one restart in a fresh JVM (no warm-up), as a real restart is: 5 forks of
 * a single shot. {@code chunksPerRecord = 1} is the worst case (one {@code chunks_done} record per
 * chunk, 1M records); the coordinator's 200 ms flush batches several chunks per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xmx1g"})
public class RestartBenchmark {

    /** Chunks in the download (all of them done). */
    @Param("1048576")
    public int chunks;

    /** Chunk indexes per {@code chunks_done} record. */
    @Param({"1", "64"})
    public int chunksPerRecord;

    static final long CHUNK = 1024 * 1024;

    private Path stateDir;

    @Setup(Level.Trial)
    public void writeJournal() throws IOException {
        stateDir = Files.createTempDirectory("p2pdl-bench-restart");
        writeJournal(stateDir, chunks, chunksPerRecord);
    }

    /** Writes the state directory of one download whose chunks are all recorded done. */
    static void writeJournal(Path stateDir, int chunks, int chunksPerRecord) throws IOException {
        DownloadStore store = new DownloadStore(stateDir);
        DownloadCreated created = DownloadCreated.newBuilder().setId("bench-restart").setUrl("http://origin/f")
                .setOutputName("f").setSizeBytes(chunks * CHUNK).setChunkSizeBytes(CHUNK).setRanges(true)
                .setFinalUrl("http://origin/f").setOwner("bench").build();
        try (Journal journal = store.create("bench-restart", JournalRecord.newBuilder().setCreated(created).build())) {
            for (int first = 0; first < chunks; first += chunksPerRecord) {
                ChunksDone.Builder done = ChunksDone.newBuilder();
                for (int i = first; i < Math.min(first + chunksPerRecord, chunks); i++) {
                    done.addChunks(i);
                }
                journal.append(JournalRecord.newBuilder().setChunksDone(done).build());
            }
            journal.force();
        }
    }

    /** Loads every journal of the state directory and registers its download's remaining work. */
    @Benchmark
    public LeaseTable restart() throws IOException {
        return recover(stateDir);
    }

    static LeaseTable recover(Path stateDir) throws IOException {
        LeaseTable table = new LeaseTable(LeasePolicy.defaults(), System::nanoTime);
        List<DownloadStore.Loaded> loaded = new DownloadStore(stateDir).loadAll();
        for (DownloadStore.Loaded l : loaded) {
            DownloadCreated c = l.replay().created();
            table.register(l.id(), new ChunkPlan(c.getSizeBytes(), c.getChunkSizeBytes()), l.replay().done());
            l.journal().close();
        }
        return table;
    }

    @TearDown(Level.Trial)
    public void deleteJournal() throws IOException {
        try (Stream<Path> walk = Files.walk(stateDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
