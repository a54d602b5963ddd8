package io.p2pdl.cli.local.fake;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lays out a p2pdl home whose {@code coordinator} and {@code worker} jars run the fakes: manifest-only
 * jars pointing at this test run's class path, placed where the launcher's build would put the real ones.
 */
public final class FakeServiceJars {

    private FakeServiceJars() {
    }

    /** Creates {@code home/{coordinator,worker}/target/quarkus-app/quarkus-run.jar}. */
    public static void install(Path home) throws IOException {
        write(home.resolve("coordinator/target/quarkus-app/quarkus-run.jar"), FakeCoordinatorMain.class);
        write(home.resolve("worker/target/quarkus-app/quarkus-run.jar"), FakeWorkerMain.class);
    }

    private static void write(Path jar, Class<?> main) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, main.getName());
        attributes.put(Attributes.Name.CLASS_PATH, classPath());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // a manifest-only jar
        }
    }

    private static String classPath() {
        // Surefire runs tests from a manifest-only booter jar; the real entries are in this property.
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
    }
}
