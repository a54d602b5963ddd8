package io.p2pdl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Runs the real command tree in-process, as Quarkus would, but with a test environment and captured
 * output instead of System.out / System.exit.
 */
public final class CliRunner {

    /**
     * What a run produced.
     *
     * @param exitCode the exit code the process would have had
     * @param out      everything written to stdout
     * @param err      everything written to stderr
     */
    public record Result(int exitCode, String out, String err) {

        /** Stderr's lines (without the trailing empty one). */
        public String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private boolean interactive;
    private Path workingDir = Path.of("").toAbsolutePath();
    private Path home;

    /** Sets an environment variable the commands will see. */
    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Pretends stdout is (or is not) a terminal. */
    public CliRunner interactive(boolean value) {
        this.interactive = value;
        return this;
    }

    /** The directory relative paths resolve against. */
    public CliRunner workingDir(Path dir) {
        this.workingDir = dir;
        return this;
    }

    /** The p2pdl home holding the service jars. */
    public CliRunner home(Path dir) {
        this.home = dir;
        return this;
    }

    /** The environment commands get. */
    public CliEnvironment environment() {
        return new CliEnvironment(env::get, interactive, workingDir, Optional.ofNullable(home));
    }

    /** Runs {@code p2pdl args...}. */
    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = DirectMain.commandLine(environment());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Parses without executing, for tests of option binding. */
    public CommandLine.ParseResult parse(String... args) {
        return DirectMain.commandLine(environment()).parseArgs(args);
    }
}
