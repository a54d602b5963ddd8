package io.p2pdl.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the runnable jars of the sibling modules lie. The repository root comes from the
 * {@code p2pdl.e2e.root} system property that the e2e pom passes to surefire, so the tests never
 * depend on the working directory.
 */
public final class ServiceJars {

    /** System property naming the repository root. */
    public static final String ROOT_PROPERTY = "p2pdl.e2e.root";

    private ServiceJars() {
    }

    /** The repository root (normalised, absolute). */
    public static Path root() {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property " + ROOT_PROPERTY
                    + " is not set: run the e2e tests through Maven (./mvnw verify -pl e2e)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    public static Path coordinator() {
        return jar("coordinator");
    }

    public static Path worker() {
        return jar("worker");
    }

    public static Path cli() {
        return jar("cli");
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}; fails loudly when not built. */
    static Path jar(String module) {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": the e2e tests run the real " + module
                    + " jar; build it first (./mvnw -q package -DskipTests, or ./mvnw verify from the root)");
        }
        return jar;
    }

    /** The java launcher of the running JVM, so children use the same Java as the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
