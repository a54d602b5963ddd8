package io.p2pdl.e2e.support;

/**
 * How one CLI run ended.
 *
 * @param exitCode the process exit code
 * @param stdout   everything it printed to stdout
 * @param stderr   everything it printed to stderr
 */
public record CliResult(int exitCode, String stdout, String stderr) {

    /** Both streams, for assertions on messages and for failure output. */
    public String output() {
        return "--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
