package io.p2pdl.cli.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.plan.ByteSize;
import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class OptionConvertersTest {

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512K,524288", "4M,4194304", "1G,1073741824", "4MiB,4194304", "1GB,1073741824",
            "4mb,4194304", "7 KiB,7168", "3B,3", "2T,2199023255552"})
    void sizesAreBinaryMultiples(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12Q", "", "M", "-4M", "0", "1.5M", "4 M B", "99999999999999999999", "9000000000T"})
    void malformedOrOutOfRangeSizesAreRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
    }

    @Test
    void sizeErrorNamesTheBadUnitAsTyped() {
        var e = assertThrows(TypeConversionException.class, () -> new ByteSizeConverter().convert("12Q"));
        assertTrue(e.getMessage().contains("'Q'"), e.getMessage());
    }

    @Test
    void checksumIsLowerCasedAndTyped() {
        Checksum c = new ChecksumConverter().convert("SHA256=" + "AB".repeat(32));
        assertEquals(ChecksumAlgorithm.SHA256, c.getAlgorithm());
        assertEquals("ab".repeat(32), c.getHex());
        assertEquals(ChecksumAlgorithm.SHA512, new ChecksumConverter().convert("sha-512=" + "0".repeat(128)).getAlgorithm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5=d41d8cd98f00b204e9800998ecf8427e", "sha256=abc", "sha256", "sha512=" + "zz",
            "sha256=gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"})
    void unsupportedAlgorithmsAndWrongDigestsAreRejected(String text) {
        assertThrows(TypeConversionException.class, () -> new ChecksumConverter().convert(text));
    }

    @Test
    void headerIsSplitAtTheFirstColonAndTrimmed() {
        Header h = new HeaderConverter().convert("Authorization:  Bearer a:b ");
        assertEquals("Authorization", h.getName());
        assertEquals("Bearer a:b", h.getValue());
    }

    @Test
    void headerErrorsNeverEchoTheValue() {
        var e = assertThrows(TypeConversionException.class, () -> new HeaderConverter().convert("X-Token secret"));
        assertTrue(e.getMessage().contains("colon"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(TypeConversionException.class, () -> new HeaderConverter().convert("Bad Name: v"));
        assertThrows(TypeConversionException.class, () -> new HeaderConverter().convert(": v"));
        var crlf = assertThrows(TypeConversionException.class, () -> new HeaderConverter().convert("X: a\r\nsecret"));
        assertFalse(crlf.getMessage().contains("secret"));
    }

    @Test
    void countsMustBePositive() {
        assertEquals(3, new PositiveIntConverter().convert("3"));
        assertThrows(TypeConversionException.class, () -> new PositiveIntConverter().convert("0"));
        assertThrows(TypeConversionException.class, () -> new PositiveIntConverter().convert("two"));
    }

    @Test
    void cidrsAreNormalisedAndBadOnesSayWhyInOneLine() {
        assertEquals("10.0.0.0/8", new CidrConverter().convert("10.9.8.7/8"));
        assertEquals("::1/128", new CidrConverter().convert("::1"));
        var e = assertThrows(TypeConversionException.class, () -> new CidrConverter().convert("10.0.0.0/99"));
        assertEquals("'10.0.0.0/99' is not a CIDR: prefix length 99 is outside 0..32", e.getMessage());
    }
}
