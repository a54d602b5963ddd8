package io.p2pdl.cli.command;

import static io.p2pdl.cli.testing.Downloads.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.CliRunner.Result;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.testing.FakeCoordinator;
import io.p2pdl.fetch.testtls.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a coordinator that serves TLS only (certificates made by openssl). */
class TlsOptionsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static FakeCoordinator coordinator;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        coordinator = new FakeCoordinator(certs.serverCert(), certs.serverKeyPkcs8());
        coordinator.put(completed("d1", "old.iso", 2048, 1_000));
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
    }

    private static CliRunner cli() {
        return new CliRunner().env(CoordinatorAddress.ENV, coordinator.address());
    }

    @Test
    void trustingTheCaListsDownloads() {
        Result r = cli().run("list", "--tls-ca", certs.caCert().toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("old.iso"), r.out());
    }

    @Test
    void caAndServerNameComeFromTheEnvironmentToo() {
        Result r = cli().env("P2PDL_TLS_CA_FILE", certs.caCert().toString())
                .env("P2PDL_TLS_SERVER_NAME", TestCertificates.SERVICE_NAME).run("status", "d1");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    }

    @Test
    void anotherCaIsRefusedWithOneLine() {
        Result r = cli().run("list", "--tls-ca", certs.otherCaCert().toString());
        assertEquals(ExitCodes.UNREACHABLE, r.exitCode(), r.err());
        assertEquals("p2pdl: cannot connect to the coordinator at " + coordinator.address()
                + ": the coordinator's certificate is not signed by a trusted CA (check --tls-ca / P2PDL_TLS_CA_FILE)",
                r.err().strip());
    }

    @Test
    void aNameTheCertificateLacksIsRefused() {
        Result r = cli().run("list", "--tls-ca", certs.caCert().toString(), "--tls-server-name", "elsewhere.p2pdl.svc");
        assertEquals(ExitCodes.UNREACHABLE, r.exitCode(), r.err());
        assertTrue(r.err().contains("does not carry the expected name"), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
    }

    @Test
    void plaintextAgainstTlsFailsAndHintsAtTls() {
        Result r = cli().run("list");
        assertEquals(ExitCodes.UNREACHABLE, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("--tls-ca"), r.err());
    }

    @Test
    void missingCaFileIsAUsageError() {
        Path missing = dir.resolve("nope.crt");
        Result r = cli().run("list", "--tls-ca", missing.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertEquals("p2pdl: TLS CA file " + missing + ": no such file", r.err().strip());
    }
}
