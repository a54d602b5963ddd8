package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.CliResult;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A file larger than 4 GiB end to end: offsets, lengths and positional writes past 2^32 in the
 * plan, the leases, the worker's ranges and the coordinator's {@code .part} file. The test origin
 * computes the bytes from their offset, so nothing is stored but the download itself.
 */
class LargeFileTest extends ProcessTest {

    private static final long SIZE = (4L << 30) + (300L << 20) + 12_345;

    @Test
    void fileLargerThanFourGibibytesArrivesByteIdentical() throws IOException {
        Content content = Content.pseudoRandom(42, SIZE);
        origin.serve("/large.bin", content);
        String expected = content.sha256Hex();
        Path output = dir.resolve("out").resolve("large.bin");
        Files.createDirectories(output.getParent());
        try {
            // 16 MiB chunks: 269 of them, the last one short and wholly above 4 GiB.
            CliResult result = services.cli(dir, Duration.ofMinutes(10), "get", origin.url("/large.bin"),
                    "-o", output.toString(), "--chunk-size", "16M", "--checksum", "sha256=" + expected,
                    "--progress=none");

            assertEquals(0, result.exitCode(), "p2pdl get failed:\n" + result.output());
            assertEquals(SIZE, Files.size(output));
            assertEquals(expected, Sha256.of(output), "SHA-256 of the file on disk");
            assertTrue(origin.bodyBytesServed("/large.bin") <= SIZE + (8L * (16L << 20)) + 1,
                    "origin served " + origin.bodyBytesServed("/large.bin") + " bytes for " + SIZE);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
