package io.p2pdl.cli.process;

import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two services the CLI can start, with where their runnable jar lies under the p2pdl home
 * (the repository root, set by the launcher) and their JVM options.
 */
public enum ServiceJar {
    /** The coordinator: probe, plan, lease, verify, write. */
    COORDINATOR("coordinator", "P2PDL_COORDINATOR_JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m"
            // C2 for hot code only, as the launcher runs every coordinator (docs/cli.md).
            + " -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
            + " -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"),
    /** A worker: fetches leased ranges and streams them to the coordinator. */
    WORKER("worker", "P2PDL_WORKER_JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=32m");

    private final String module;
    private final String optsVariable;
    private final String localOpts;

    ServiceJar(String module, String optsVariable, String localOpts) {
        this.module = module;
        this.optsVariable = optsVariable;
        this.localOpts = localOpts;
    }

    /** The module / command name, e.g. {@code coordinator}. */
    public String module() {
        return module;
    }

    /** Environment variable whose value replaces the JVM options. */
    public String optsVariable() {
        return optsVariable;
    }

    /**
     * JVM options for a child of {@code p2pdl get}: small heaps, because a laptop runs the
     * coordinator and several workers at once next to the user's own work.
     */
    public String localOpts() {
        return localOpts;
    }

    /**
     * The runnable jar under {@code home}.
     *
     * @throws CliFailure when the home is unknown or the jar is not built
     */
    public Path jar(Optional<Path> home) {
        Path root = home.orElseThrow(() -> new CliFailure(ExitCodes.FAILED,
                "cannot find the " + module + " jar: p2pdl.home is not set (run through the ./p2pdl launcher)"));
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new CliFailure(ExitCodes.FAILED, "cannot find " + jar + " (build it: ./mvnw -q -DskipTests package)");
        }
        return jar;
    }
}
