package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixHashTest {

    @TempDir
    Path dir;

    @Test
    void verificationContinuesWherePrefixHashingStopped() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 12345];
        new Random(7).nextBytes(data);
        Path part = Files.write(dir.resolve("f.part"), data);
        PrefixHash prefix = new PrefixHash(part, null);

        assertTrue(prefix.schedule());
        assertFalse(prefix.schedule(), "one advance queued at a time");
        prefix.advanceTo(1 << 20);
        assertTrue(prefix.schedule());
        prefix.advanceTo(2 * (1 << 20) + 7);
        Finisher.Resumable ahead = prefix.take();
        assertEquals(2 * (1 << 20) + 7, ahead.offset());

        Finisher.Verdict verdict = Finisher.verify(part, null, ahead);
        assertEquals(sha("SHA-256", data), verdict.sha256());
        assertFalse(prefix.schedule(), "taken: no more advances");
    }

    @Test
    void sha512ChecksumIsHashedAheadToo() throws Exception {
        byte[] data = new byte[(1 << 20) + 3];
        new Random(8).nextBytes(data);
        Path part = Files.write(dir.resolve("g.part"), data);
        Checksum expected = Checksum.newBuilder().setAlgorithm(ChecksumAlgorithm.SHA512).setHex(sha("SHA-512", data)).build();
        PrefixHash prefix = new PrefixHash(part, expected);
        prefix.advanceTo(1000);

        Finisher.Verdict verdict = Finisher.verify(part, expected, prefix.take());

        assertTrue(verdict.ok(), verdict.message());
        assertEquals(sha("SHA-256", data), verdict.sha256());
    }

    @Test
    void aReadErrorOrNothingHashedMeansVerifyingEverything() {
        PrefixHash missing = new PrefixHash(dir.resolve("missing.part"), null);
        missing.advanceTo(100);
        assertNull(missing.take());
        assertNull(new PrefixHash(dir.resolve("x"), null).take());
    }

    private static String sha(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }
}
