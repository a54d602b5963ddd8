package io.p2pdl.coordinator.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what a coordinator needs to accept work: a state directory it can create files in (a
 * probe file is created and deleted, which also catches a volume remounted read-only) and free
 * space on the data volume. Plain Java, tested without the framework.
 */
public final class StorageProbe {

    /** What was found; {@code problems} is empty when all is well. */
    public record Result(long usableBytes, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Path stateDir;
    private final Path dataDir;
    private final long minFreeBytes;

    public StorageProbe(Path stateDir, Path dataDir, long minFreeBytes) {
        this.stateDir = stateDir;
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
    }

    public Result check() {
        List<String> problems = new ArrayList<>();
        try {
            Path probe = Files.createTempFile(stateDir, ".ready-", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            problems.add("state directory " + stateDir + " is not writable: " + e);
        }
        long usable = -1;
        try {
            FileStore store = Files.getFileStore(dataDir);
            usable = store.getUsableSpace();
            if (usable < minFreeBytes) {
                problems.add("data volume has " + usable + " bytes free, less than " + minFreeBytes);
            }
        } catch (IOException | RuntimeException e) {
            problems.add("cannot read free space of " + dataDir + ": " + e);
        }
        return new Result(usable, List.copyOf(problems));
    }
}
