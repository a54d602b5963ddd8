package io.p2pdl.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.CliRunner.Result;
import io.p2pdl.cli.ExitCodes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UsageTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "get", "submit", "status", "list", "watch", "cancel", "pause", "resume"})
    void everyCommandHasHelpEndingWithTheExitCodes(String command) {
        Result r = command.isEmpty() ? new CliRunner().run("--help") : new CliRunner().run(command, "--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.out().startsWith("Usage: p2pdl"), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("130   interrupted"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "submit http://o/f --bogus | Unknown option: '--bogus'",
        "submit http://o/f --chunk-size 12Q | Invalid value for option '--chunk-size': '12Q' has an unknown unit 'Q'",
        "submit http://o/f --checksum md5=d41d8cd98f00b204e9800998ecf8427e | unsupported checksum algorithm 'md5'",
        "submit http://o/f --checksum sha256=abcd | a sha256 digest has 64 hex digits, got 4",
        "submit http://o/f --header NoColon | a header is 'Name: value', but this one has no colon",
        "get http://o/f --workers -1 | Invalid value for option '--workers': '-1' must be at least 0",
        "get http://o/f -c 0 | Invalid value for option '--concurrency': '0' must be at least 1",
        "get http://o/f --concurrency -1 | '-1' must be at least 1",
        "status d1 --output yaml | Invalid value for option '--output'",
        "watch d1 --progress fancy | Invalid value for option '--progress'",
        "status | Missing required parameter: 'ID'",
        "frobnicate | Unmatched argument at index 0: 'frobnicate'",
        " | missing command",
        "list --coordinator host:notaport | invalid coordinator address 'host:notaport'"})
    void badUsageIsOneLineAndExitTwo(String args, String expected) {
        String[] argv = args == null || args.isBlank() ? new String[0] : args.trim().split(" ");
        Result r = new CliRunner().run(argv);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("p2pdl: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void serviceCommandsPassEveryArgumentThroughUnparsed() {
        var parsed = new CliRunner().parse("coordinator", "--port", "7400", "--help", "-x", "data");
        var sub = parsed.subcommand();
        assertEquals("coordinator", sub.commandSpec().name());
        assertEquals(List.of("--port", "7400", "--help", "-x", "data"),
                ((ServiceCommand) sub.commandSpec().userObject()).args);
        var worker = new CliRunner().parse("worker", "--coordinator", "c:7400").subcommand();
        assertEquals(List.of("--coordinator", "c:7400"), ((ServiceCommand) worker.commandSpec().userObject()).args);
    }

    @Test
    void serviceCommandWithoutBuiltJarsExplainsHowToBuild() {
        Result r = new CliRunner().home(java.nio.file.Path.of("/nonexistent")).run("worker", "--port", "0");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals(1, r.errLines().length);
        assertTrue(r.err().contains("cannot find /nonexistent/worker/target/quarkus-app/quarkus-run.jar"), r.err());
    }
}
