package io.p2pdl.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputTargetTest {

    @TempDir
    Path cwd;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://h/dir/ubuntu.iso?x=1#f | ubuntu.iso",
        "http://h/my%20file%2Bv2.tar.gz | my file+v2.tar.gz",
        "http://h/a+b | a+b",
        "http://h/caf%C3%A9.txt | café.txt",
        "http://h/..%2F..%2Fetc%2Fpasswd | .._.._etc_passwd",
        "http://h/a%5Cb%0Ac | a_b_c",
        "http://h/%2E%2E | download",
        "http://h/dir/ | download",
        "http://h | download",
        "http://h/100%25 | 100%"})
    void nameComesFromTheLastPathSegmentDecodedAndMadeSafe(String url, String name) {
        assertEquals(name, OutputTarget.nameFromUrl(URI.create(url)));
    }

    @Test
    void veryLongNamesAreCut() {
        assertEquals(200, OutputTarget.nameFromUrl(URI.create("http://h/" + "x".repeat(300))).length());
    }

    @Test
    void withoutOutputTheFileLandsInTheWorkingDirectory() {
        OutputTarget t = OutputTarget.resolve(URI.create("http://h/f.bin"), null, cwd);
        assertEquals(cwd.resolve("f.bin"), t.path());
        assertEquals(cwd.resolve(".f.bin.p2pdl"), t.stateDir());
    }

    @Test
    void outputPathSplitsIntoDataDirectoryAndName() {
        OutputTarget t = OutputTarget.resolve(URI.create("http://h/f.bin"), "sub/../out/x.iso", cwd);
        assertEquals(cwd.resolve("out"), t.directory());
        assertEquals("x.iso", t.name());
        assertEquals(cwd.resolve("out/.x.iso.p2pdl"), t.stateDir());
        assertEquals(Path.of("/tmp/abs.bin"), OutputTarget.resolve(URI.create("http://h/f"), "/tmp/abs.bin", cwd).path());
    }

    @Test
    void outputThatIsADirectoryKeepsTheUrlName() throws Exception {
        Files.createDirectory(cwd.resolve("existing"));
        assertEquals(cwd.resolve("existing/f.bin"), OutputTarget.resolve(URI.create("http://h/f.bin"), "existing", cwd).path());
        assertEquals(cwd.resolve("new/f.bin"), OutputTarget.resolve(URI.create("http://h/f.bin"), "new/", cwd).path());
    }
}
