package io.p2pdl.fetch.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodNamespaceTest {

    @TempDir
    Path dir;

    @Test
    void configuredNamespaceWins() throws Exception {
        Path file = Files.writeString(dir.resolve("namespace"), "from-file");
        assertEquals("from-config", PodNamespace.resolve(Optional.of(" from-config "), file, () -> "from-client"));
    }

    @Test
    void serviceAccountNamespaceComesNext() throws Exception {
        Path file = Files.writeString(dir.resolve("namespace"), "from-file\n");
        assertEquals("from-file", PodNamespace.resolve(Optional.of(" "), file, () -> "from-client"));
    }

    @Test
    void clientNamespaceIsTheLastResort() throws Exception {
        assertEquals("from-client", PodNamespace.resolve(Optional.empty(), dir.resolve("absent"), () -> "from-client"));
        Path empty = Files.writeString(dir.resolve("namespace"), "");
        assertEquals("from-client", PodNamespace.resolve(Optional.empty(), empty, () -> "from-client"));
    }

    @Test
    void noNamespaceAnywhereIsAnError() {
        assertThrows(IllegalStateException.class,
                () -> PodNamespace.resolve(Optional.empty(), dir.resolve("absent"), () -> null));
    }
}
