package io.p2pdl.cli.option;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converter for counts that must be at least one, such as {@code --workers}. */
public final class PositiveIntConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (number < 1) {
            throw new TypeConversionException("'" + value + "' must be at least 1");
        }
        return number;
    }
}
