package io.p2pdl.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a command may learn from the process it runs in. Commands read the environment,
 * the terminal and the working directory only through this record so tests can replace them.
 *
 * @param env         environment variable lookup (returns null when unset)
 * @param interactive true when stdout is a terminal, so progress is drawn as a live line
 * @param workingDir  directory relative output paths resolve against
 * @param home        the p2pdl installation root (where the service jars are built), if known
 */
public record CliEnvironment(Function<String, String> env, boolean interactive, Path workingDir, Optional<Path> home) {

    /** System property the launcher sets to the repository root. */
    public static final String HOME_PROPERTY = "p2pdl.home";

    /** The environment of this JVM. */
    public static CliEnvironment system() {
        String home = System.getProperty(HOME_PROPERTY);
        return new CliEnvironment(System::getenv, System.console() != null,
                Path.of("").toAbsolutePath(),
                home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home).toAbsolutePath()));
    }

    /** The value of an environment variable, empty when unset or blank. */
    public Optional<String> variable(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
