package io.p2pdl.cli.option;

import io.p2pdl.proto.v1.Header;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --header 'Name: value'} into the contract's {@link Header}. The value is a
 * secret (often a bearer token), so error messages name the header but never echo its value.
 */
public final class HeaderConverter implements ITypeConverter<Header> {

    /** RFC 9110 token characters: what a field name may consist of. */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    @Override
    public Header convert(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new TypeConversionException("a header is 'Name: value', but this one has no colon");
        }
        String name = value.substring(0, colon).trim();
        String headerValue = value.substring(colon + 1).trim();
        if (!name.matches(TOKEN)) {
            throw new TypeConversionException("'" + name + "' is not a valid header name");
        }
        if (headerValue.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new TypeConversionException("the value of header '" + name + "' contains a line break");
        }
        return Header.newBuilder().setName(name).setValue(headerValue).build();
    }
}
