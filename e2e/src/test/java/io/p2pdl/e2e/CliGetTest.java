package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.CliResult;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceJars;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Behaviour;
import io.p2pdl.fetch.testorigin.Content;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code p2pdl get URL}, the real CLI jar, which starts its own coordinator and two worker
 * processes, against origins that behave well and badly.
 */
class CliGetTest extends ProcessTest {

    private static final long SIZE = 4L << 20;
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(100);

    /** An origin set up for one case; returns the path to ask the CLI for. */
    private interface OriginSetup extends Function<Content, String> {
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                behaviour("serves ranges", "/plain.bin", b -> b),
                behaviour("ignores Range", "/no-range.bin", Behaviour::ignoreRange),
                behaviour("refuses HEAD", "/no-head.bin", Behaviour::noHead),
                behaviour("sends no length", "/no-length.bin", Behaviour::noLength),
                Arguments.of(Named.of("redirects with 302", (OriginSetup) content -> {
                    origin.serve("/target.bin", content).redirectFrom("/r", 302);
                    return "/r";
                })),
                behaviour("cuts bodies short", "/cut.bin", b -> b.cutAfterBytes(300_000, 3)));
    }

    private static Arguments behaviour(String name, String path, Function<Behaviour, Behaviour> faults) {
        return Arguments.of(Named.of(name, (OriginSetup) content -> {
            faults.apply(origin.serve(path, content));
            return path;
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("origins")
    void cliGetFetchesFileFromOriginThat(OriginSetup setup) throws IOException {
        Content content = Content.pseudoRandom(4, SIZE);
        String path = setup.apply(content);
        Path output = dir.resolve("out").resolve("file.bin");

        CliResult result = get(origin.url(path), output);

        assertEquals(0, result.exitCode(), "p2pdl get failed:\n" + result.output());
        assertEquals(content.sha256Hex(), Sha256.of(output), "SHA-256 of " + output);
        assertFalse(Files.exists(output.resolveSibling(".file.bin.p2pdl")), "state directory left after success");
        Files.delete(output);
    }

    @Test
    void cliGetWithExtraWorkerProcessesSendsChunksOverGrpc() throws IOException {
        Content content = Content.pseudoRandom(6, SIZE);
        origin.serve("/extra-workers.bin", content).cutAfterBytes(300_000, 2);
        Path output = dir.resolve("out").resolve("extra.bin");

        CliResult result = get(origin.url("/extra-workers.bin"), output, "--workers", "2", "--concurrency", "2");

        assertEquals(0, result.exitCode(), "p2pdl get failed:\n" + result.output());
        assertEquals(content.sha256Hex(), Sha256.of(output), "SHA-256 of " + output);
        Files.delete(output);
    }

    @Test
    void theLauncherRunsGetInOneJvmWithItsOwnOptions() throws IOException {
        Content content = Content.pseudoRandom(7, SIZE);
        origin.serve("/launcher.bin", content);
        Path output = dir.resolve("out").resolve("launcher.bin");
        Files.createDirectories(output.getParent());

        CliResult result = services.launcher(dir, CLI_TIMEOUT, "get", origin.url("/launcher.bin"), "-o",
                output.toString(), "--progress", "none");

        assertEquals(0, result.exitCode(), "./p2pdl get failed (JVM options of the launcher?):\n" + result.output());
        assertEquals(content.sha256Hex(), Sha256.of(output), "SHA-256 of " + output);
    }

    @Test
    void theLauncherRecordsAClassArchiveOnceThenUsesItWithoutASound() throws Exception {
        Path app = ServiceJars.root().resolve("cli/target/quarkus-app");
        for (Path old : archives(app)) {
            Files.delete(old);
        }
        // A recording left by a JVM that is gone and that no JVM can map: dropped, never promoted.
        Files.writeString(app.resolve("p2pdl-cli-1.jsa.999999.rec"), "not an archive");
        Content content = Content.pseudoRandom(8, SIZE);
        origin.serve("/cds.bin", content);
        Path output = dir.resolve("out").resolve("cds.bin");
        Files.createDirectories(output.getParent());
        String[] args = {"get", origin.url("/cds.bin"), "-o", output.toString(), "--progress", "none"};

        CliResult first = services.launcher(dir, CLI_TIMEOUT, args);
        assertEquals(0, first.exitCode(), "first ./p2pdl get:\n" + first.output());
        List<Path> recorded = archives(app);
        assertEquals(1, recorded.size(), "the first get's recording only: " + recorded);
        assertTrue(recorded.get(0).getFileName().toString().matches("p2pdl-cli-\\d+\\.jsa\\.\\d+\\.rec"), recorded::toString);
        Files.delete(output);

        CliResult second = services.launcher(dir, CLI_TIMEOUT, args);
        assertEquals(0, second.exitCode(), "second ./p2pdl get:\n" + second.output());
        List<Path> promoted = archives(app);
        assertEquals(1, promoted.size(), "the recording became the archive: " + promoted);
        Path archive = promoted.get(0);
        assertTrue(archive.getFileName().toString().matches("p2pdl-cli-\\d+\\.jsa"), archive.toString());
        FileTime written = Files.getLastModifiedTime(archive);
        Files.delete(output);

        CliResult third = services.launcher(dir, CLI_TIMEOUT, args);
        assertEquals(0, third.exitCode(), "third ./p2pdl get:\n" + third.output());
        assertEquals(content.sha256Hex(), Sha256.of(output), "SHA-256 of " + output);
        assertEquals(List.of(archive), archives(app), "the archive is used, not recorded again");
        assertEquals(written, Files.getLastModifiedTime(archive), "the archive is used, not recorded again");
        for (CliResult r : List.of(first, second, third)) {
            assertFalse(r.output().contains("[warning]") || r.output().contains("cds"), "JVM noise:\n" + r.output());
        }

        // It fits the launcher's class path: with -Xshare:on the JVM refuses to start otherwise.
        Process check = new ProcessBuilder("java", "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp",
                app + "/app/*:" + app + "/lib/main/*:" + app + "/lib/boot/*", "io.p2pdl.cli.DirectMain", "--version")
                .redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "java -Xshare:on did not end");
        assertEquals(0, check.exitValue(), "the archive does not fit the launcher's class path:\n" + said);
    }

    /** The launcher's class archive and recordings in the CLI's application directory. */
    private static List<Path> archives(Path app) throws IOException {
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(f -> f.getFileName().toString().startsWith("p2pdl-cli-")).sorted().toList();
        }
    }

    @Test
    void cliGetFailsWithReasonWhenOriginChangesMidDownload() throws IOException {
        // The probe is the first GET, the first chunk the second; every later GET sees another file.
        origin.serve("/changing.bin", Content.pseudoRandom(5, SIZE)).changeEtagAfterRequests(2);
        Path output = dir.resolve("out").resolve("changing.bin");

        CliResult result = get(origin.url("/changing.bin"), output);

        assertEquals(1, result.exitCode(), "exit code of p2pdl get:\n" + result.output());
        assertTrue(result.stderr().contains("ORIGIN_CHANGED"), "stderr names the reason:\n" + result.output());
        assertFalse(Files.exists(output), "a final file exists although the origin changed");
    }

    @Test
    void cliGetOfMissingFileExitsOneWithReason() throws IOException {
        Path output = dir.resolve("out").resolve("missing.bin");

        CliResult result = get(origin.url("/missing.bin"), output);

        assertEquals(1, result.exitCode(), "exit code of p2pdl get:\n" + result.output());
        assertTrue(result.stderr().contains("ORIGIN_NOT_FOUND"), "stderr names the reason:\n" + result.output());
        assertFalse(Files.exists(output), "a final file exists for a 404");
    }

    private CliResult get(String url, Path output, String... extra) throws IOException {
        Files.createDirectories(output.getParent());
        List<String> args = new ArrayList<>(List.of("get", url, "-o", output.toString()));
        args.addAll(List.of(extra));
        return services.cli(dir, CLI_TIMEOUT, args.toArray(String[]::new));
    }
}
