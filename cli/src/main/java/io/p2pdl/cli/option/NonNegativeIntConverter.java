package io.p2pdl.cli.option;

/** Picocli converter for counts that may be zero, such as {@code get --workers}. */
public final class NonNegativeIntConverter extends MinIntConverter {

    public NonNegativeIntConverter() {
        super(0);
    }
}
