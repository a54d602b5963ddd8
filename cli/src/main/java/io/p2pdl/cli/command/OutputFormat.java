package io.p2pdl.cli.command;

/** {@code --output} of {@code status} and {@code list}. */
public enum OutputFormat {
    /** Aligned text for people. */
    TEXT,
    /** JSON for scripts: every field of the Download message plus {@code progress}. */
    JSON
}
