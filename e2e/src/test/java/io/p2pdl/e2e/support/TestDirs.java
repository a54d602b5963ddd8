package io.p2pdl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.TestInfo;

/**
 * One fresh directory per test under {@code e2e/target/e2e/<class>/<test>/}, kept after the run so
 * the child logs ({@code logs/}) and state of a failed test can be read.
 */
public final class TestDirs {

    /** System property (set by the pom) naming the root of all test directories. */
    public static final String WORK_PROPERTY = "p2pdl.e2e.work";

    private TestDirs() {
    }

    /** An empty directory for the running test. */
    public static Path fresh(TestInfo test) {
        String cls = test.getTestClass().map(Class::getSimpleName).orElse("unknown");
        String method = test.getTestMethod().map(m -> m.getName()).orElse("class");
        String display = test.getDisplayName();
        String name = test.getTestMethod().isEmpty() || display.startsWith(method) ? method : method + "-" + display;
        Path dir = root().resolve(cls).resolve(name.replaceAll("[^A-Za-z0-9._-]+", "_"));
        deleteTree(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        String work = System.getProperty(WORK_PROPERTY);
        return work == null || work.isBlank() ? Path.of("target", "e2e").toAbsolutePath()
                : Path.of(work).toAbsolutePath();
    }

    /** Deletes {@code dir} and all below it; a missing directory is fine. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
