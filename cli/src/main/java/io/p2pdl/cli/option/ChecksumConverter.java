package io.p2pdl.cli.option;

import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --checksum ALGO=HEX} (for example {@code sha256=9f86d0...}) into the contract's
 * {@link Checksum}. Checking the digest length here turns a truncated copy-paste into a usage
 * error instead of a CHECKSUM_MISMATCH after the whole file was downloaded.
 */
public final class ChecksumConverter implements ITypeConverter<Checksum> {

    @Override
    public Checksum convert(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            throw new TypeConversionException("'" + value + "' is not ALGO=HEX (example: sha256=9f86d081...)");
        }
        String name = value.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace("-", "");
        String hex = value.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
        ChecksumAlgorithm algorithm;
        int hexLength;
        switch (name) {
            case "sha256" -> {
                algorithm = ChecksumAlgorithm.SHA256;
                hexLength = 64;
            }
            case "sha512" -> {
                algorithm = ChecksumAlgorithm.SHA512;
                hexLength = 128;
            }
            default -> throw new TypeConversionException(
                    "unsupported checksum algorithm '" + value.substring(0, eq).trim() + "' (use sha256 or sha512)");
        }
        if (!hex.matches("[0-9a-f]*")) {
            throw new TypeConversionException("the " + name + " digest must be hexadecimal");
        }
        if (hex.length() != hexLength) {
            throw new TypeConversionException("a " + name + " digest has " + hexLength + " hex digits, got " + hex.length());
        }
        return Checksum.newBuilder().setAlgorithm(algorithm).setHex(hex).build();
    }
}
