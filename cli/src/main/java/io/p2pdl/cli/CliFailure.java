package io.p2pdl.cli;

/**
 * A failure that ends a command with one human line on stderr and a specific exit code.
 * Commands throw it; {@link CommandLineConfigurer} prints {@code p2pdl: <message>} and exits.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause, false, false);
        this.exitCode = exitCode;
    }

    /** The exit code from {@link ExitCodes}. */
    public int exitCode() {
        return exitCode;
    }
}
