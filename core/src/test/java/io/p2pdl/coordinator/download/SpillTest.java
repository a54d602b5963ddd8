package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsBytesAsideCopiesThemIntoPlaceAndIsGoneWhenClosed() throws IOException {
        Path part = dir.resolve("f.bin.part");
        try (FileChannel target = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            target.write(ByteBuffer.wrap(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}), 0);
            Spill spill = Spill.create(part);
            spill.write(List.of(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})), 0);
            spill.write(List.of(ByteBuffer.wrap(new byte[] {4, 5})), 3);
            spill.copyTo(target, 2, 5);
            spill.close();
            byte[] got = new byte[8];
            target.read(ByteBuffer.wrap(got), 0);
            assertArrayEquals(new byte[] {9, 9, 1, 2, 3, 4, 5, 9}, got);
        }
        assertEquals(List.of("f.bin.part"), names());
    }

    @Test
    void leftoversOfThePartFileAreRemovedAndNothingElse() throws IOException {
        Path part = dir.resolve("a[1]*.bin.part");
        Files.createFile(part);
        Files.createFile(dir.resolve(".a[1]*.bin.part.123.spill"));
        Files.createFile(dir.resolve(".other.bin.part.123.spill"));
        Files.createFile(dir.resolve("a[1]*.bin"));
        Spill.removeLeftovers(part);
        assertEquals(List.of(".other.bin.part.123.spill", "a[1]*.bin", "a[1]*.bin.part"), names());
    }
}
