package io.p2pdl.coordinator.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProbeTest {

    @TempDir
    Path dir;

    @Test
    void writableStateDirectoryAndEnoughSpaceIsReadyAndLeavesNoFileBehind() throws IOException {
        StorageProbe.Result r = new StorageProbe(dir, dir, 1).check();
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.usableBytes() > 0);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void missingStateDirectoryIsNotReady() {
        StorageProbe.Result r = new StorageProbe(dir.resolve("gone"), dir, 1).check();
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).contains("not writable"), r.problems().toString());
    }

    @Test
    void lessFreeSpaceThanTheThresholdIsNotReady() {
        StorageProbe.Result r = new StorageProbe(dir, dir, Long.MAX_VALUE).check();
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).contains("bytes free"), r.problems().toString());
    }
}
