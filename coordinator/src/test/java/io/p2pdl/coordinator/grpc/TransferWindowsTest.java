package io.p2pdl.coordinator.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.download.ChunkReceiver;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;

class TransferWindowsTest {

    @Test
    void aWholeTransferFrameFitsOneDataFrameAndTheStreamWindow() {
        HttpServerOptions options = new HttpServerOptions();
        new TransferWindows().customizeHttpServer(options);
        int grpcMessage = ChunkReceiver.MAX_FRAME + 64; // data, protobuf fields, 5-byte gRPC prefix
        assertTrue(options.getInitialSettings().getMaxFrameSize() >= grpcMessage);
        assertTrue(options.getInitialSettings().getInitialWindowSize() >= grpcMessage);
        assertEquals(TransferWindows.CONNECTION_WINDOW, options.getHttp2ConnectionWindowSize());

        HttpServerOptions tls = new HttpServerOptions();
        new TransferWindows().customizeHttpsServer(tls);
        assertEquals(options.getInitialSettings().getMaxFrameSize(), tls.getInitialSettings().getMaxFrameSize());
    }
}
