package io.p2pdl.cli.option;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converter for whole numbers of at least {@code min}. */
abstract class MinIntConverter implements ITypeConverter<Integer> {

    private final int min;

    MinIntConverter(int min) {
        this.min = min;
    }

    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (number < min) {
            throw new TypeConversionException("'" + value + "' must be at least " + min);
        }
        return number;
    }
}
