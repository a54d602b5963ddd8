package io.p2pdl.fetch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {

    @TempDir
    Path dir;

    @Test
    void valueWinsOverFileAndFileGivesItsFirstLine() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  from-file \nignored\n");
        assertEquals(Optional.of("direct"), BearerTokens.load(Optional.of(" direct "), Optional.of(file)));
        assertEquals(Optional.of("from-file"), BearerTokens.load(Optional.of(""), Optional.of(file)));
        assertEquals(Optional.empty(), BearerTokens.load(Optional.empty(), Optional.empty()));
    }

    @Test
    void unreadableOrEmptyFileIsAnErrorNotASilentEmptyToken() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThrows(IllegalArgumentException.class, () -> BearerTokens.load(Optional.empty(), Optional.of(empty)));
        assertThrows(IllegalArgumentException.class,
                () -> BearerTokens.load(Optional.empty(), Optional.of(dir.resolve("absent"))));
    }

    @Test
    void presentedTokenIsReadFromBearerHeaderOnly() {
        Metadata ok = new Metadata();
        ok.put(BearerTokens.AUTHORIZATION, "Bearer abc");
        assertEquals(Optional.of("abc"), BearerTokens.presented(ok));
        Metadata basic = new Metadata();
        basic.put(BearerTokens.AUTHORIZATION, "Basic abc");
        assertEquals(Optional.empty(), BearerTokens.presented(basic));
        assertEquals(Optional.empty(), BearerTokens.presented(new Metadata()));
    }

    @Test
    void matchingIsExact() {
        assertTrue(BearerTokens.matches("s3cret", "s3cret"));
        assertFalse(BearerTokens.matches("s3cret", "s3cre"));
        assertFalse(BearerTokens.matches("s3cret", "S3cret"));
    }
}
