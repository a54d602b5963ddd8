package io.p2pdl.cli.option;

import io.p2pdl.fetch.origin.Cidr;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converter for {@code --allow-origin-cidr}: a CIDR (or one address) in its normal form. */
public final class CidrConverter implements ITypeConverter<String> {

    @Override
    public String convert(String value) {
        try {
            return Cidr.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
