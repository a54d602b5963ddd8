package io.p2pdl.fetch.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.p2pdl.fetch.testtls.TestCertificates;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.GetChunkRequest;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.NoWork;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client TLS against a real gRPC server on loopback with certificates made by openssl. */
class ClientTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static Server tlsServer;
    static Server plainServer;

    @BeforeAll
    static void startServers() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        tlsServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(certs.serverCert().toFile(), certs.serverKeyPkcs8().toFile()).build())
                .addService(new NoWorkCoordinator()).build().start();
        plainServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new NoWorkCoordinator()).build().start();
    }

    @AfterAll
    static void stopServers() {
        tlsServer.shutdownNow();
        plainServer.shutdownNow();
    }

    @Test
    void clientTrustingTheCaReachesTheServerByIp() {
        GetChunkResponse r = call(ClientTls.trusting(Optional.of(certs.caCert()), Optional.empty()), tlsServer);
        assertTrue(r.hasNoWork());
    }

    @Test
    void serverNameIsVerifiedInsteadOfTheDialledAddress() {
        ClientTls tls = ClientTls.trusting(Optional.of(certs.caCert()), Optional.of(TestCertificates.SERVICE_NAME));
        assertTrue(call(tls, tlsServer).hasNoWork());
    }

    @Test
    void serverNameNotInTheCertificateIsRefused() {
        ClientTls tls = ClientTls.trusting(Optional.of(certs.caCert()), Optional.of("elsewhere.p2pdl.svc"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(tls, tlsServer));
        String line = TlsFailures.describe(e).orElseThrow();
        assertTrue(line.contains("does not carry the expected name"), line);
        assertTrue(line.contains("elsewhere.p2pdl.svc"), line);
    }

    @Test
    void certificateOfAnotherCaIsRefusedWithOneLine() {
        ClientTls tls = ClientTls.trusting(Optional.of(certs.otherCaCert()), Optional.empty());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(tls, tlsServer));
        String line = TlsFailures.describe(e).orElseThrow();
        assertEquals("the coordinator's certificate is not signed by a trusted CA (check --tls-ca / P2PDL_TLS_CA_FILE)",
                line);
    }

    @Test
    void systemTrustStoreDoesNotTrustATestCa() {
        ClientTls tls = ClientTls.fromConfig(key -> key.equals(ClientTls.ENABLED) ? Optional.of("true") : Optional.empty());
        assertTrue(tls.enabled());
        assertTrue(tls.caFile().isEmpty());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(tls, tlsServer));
        assertTrue(TlsFailures.describe(e).orElseThrow().contains("not signed by a trusted CA"));
    }

    @Test
    void tlsClientAgainstAPlaintextServerSaysSo() {
        ClientTls tls = ClientTls.trusting(Optional.of(certs.caCert()), Optional.empty());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(tls, plainServer));
        assertTrue(TlsFailures.describe(e).orElseThrow().contains("does not speak TLS"),
                () -> TlsFailures.describe(e).orElseThrow());
    }

    @Test
    void plaintextClientIsRefusedByATlsServer() {
        assertThrows(StatusRuntimeException.class, () -> call(ClientTls.PLAINTEXT, tlsServer));
    }

    @Test
    void nothingConfiguredMeansPlaintext() {
        ClientTls tls = ClientTls.fromConfig(key -> Optional.empty());
        assertFalse(tls.enabled());
        assertEquals("plaintext", tls.toString());
        assertTrue(call(tls, plainServer).hasNoWork());
    }

    @Test
    void caFileFromTheEnvironmentTurnsTlsOn() {
        Map<String, String> env = Map.of("P2PDL_TLS_CA_FILE", certs.caCert().toString(),
                "P2PDL_TLS_SERVER_NAME", TestCertificates.SERVICE_NAME);
        ClientTls tls = ClientTls.fromConfig(ClientTls.environment(env::get));
        assertTrue(tls.enabled());
        assertEquals(Optional.of(TestCertificates.SERVICE_NAME), tls.serverName());
        assertTrue(call(tls, tlsServer).hasNoWork());
    }

    @Test
    void missingCaFileIsOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.trusting(Optional.of(dir.resolve("nope.crt")), Optional.empty()));
        assertEquals("TLS CA file " + dir.resolve("nope.crt") + ": no such file", e.getMessage());
    }

    @Test
    void caFileWithoutCertificatesIsOneClearLine() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "not a certificate\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.trusting(Optional.of(garbage), Optional.empty()));
        assertTrue(e.getMessage().startsWith("TLS CA file " + garbage + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.crt"), "");
        e = assertThrows(IllegalArgumentException.class, () -> ClientTls.trusting(Optional.of(empty), Optional.empty()));
        assertTrue(e.getMessage().contains("no certificate in it"), e.getMessage());
    }

    @Test
    void aKeyIsNotACaFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.trusting(Optional.of(certs.serverKey()), Optional.empty()));
        assertTrue(e.getMessage().startsWith("TLS CA file " + certs.serverKey() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badServerNameAndContradictionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.trusting(Optional.empty(), Optional.of("not a name")));
        assertEquals("TLS server name 'not a name' is not a DNS name", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClientTls.fromConfig(
                key -> key.equals(ClientTls.ENABLED) ? Optional.of("yes") : Optional.empty()));
        assertEquals("p2pdl.tls.enabled must be true or false, got 'yes'", e.getMessage());
        Map<String, String> both = Map.of(ClientTls.ENABLED, "false", ClientTls.CA_FILE, certs.caCert().toString());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.fromConfig(key -> Optional.ofNullable(both.get(key))));
        assertTrue(e.getMessage().startsWith("p2pdl.tls.enabled=false contradicts p2pdl.tls.ca-file"), e.getMessage());
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertEquals("P2PDL_TLS_CA_FILE", ClientTls.envName(ClientTls.CA_FILE));
        assertEquals("P2PDL_TLS_SERVER_NAME", ClientTls.envName(ClientTls.SERVER_NAME));
        assertEquals("P2PDL_TLS_ENABLED", ClientTls.envName(ClientTls.ENABLED));
    }

    private static GetChunkResponse call(ClientTls tls, Server server) {
        ManagedChannel channel = tls.configure(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())).build();
        try {
            return DownloaderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getChunk(GetChunkRequest.newBuilder().setWorkerId("w").build());
        } finally {
            channel.shutdownNow();
        }
    }

    /** Answers every GetChunk with "no work". */
    private static final class NoWorkCoordinator extends DownloaderGrpc.DownloaderImplBase {
        @Override
        public void getChunk(GetChunkRequest request, StreamObserver<GetChunkResponse> out) {
            out.onNext(GetChunkResponse.newBuilder().setNoWork(NoWork.newBuilder().setRetryAfterMs(1000)).build());
            out.onCompleted();
        }
    }
}
