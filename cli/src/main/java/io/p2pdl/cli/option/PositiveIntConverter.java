package io.p2pdl.cli.option;

/** Picocli converter for counts that must be at least one, such as {@code --concurrency}. */
public final class PositiveIntConverter extends MinIntConverter {

    public PositiveIntConverter() {
        super(1);
    }
}
