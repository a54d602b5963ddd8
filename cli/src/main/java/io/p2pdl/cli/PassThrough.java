package io.p2pdl.cli;

/**
 * Marks a command whose arguments all belong to another program: picocli must treat unknown
 * options such as {@code --port} or {@code --help} as plain arguments instead of rejecting them.
 */
public interface PassThrough {
}
