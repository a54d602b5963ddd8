package io.p2pdl.coordinator.grpc;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * HTTP/2 settings of the port gRPC shares with health and metrics, sized for chunk transfers.
 *
 * <p>With the defaults (16 KiB frames, 64 KiB stream window) a 256 KiB transfer frame arrives as
 * some twenty DATA frames, and the Vert.x gRPC reader appends each piece to the message it is
 * assembling, growing and copying it again and again: about 34 bytes allocated and copied per byte
 * received. Letting a whole transfer frame travel in one DATA frame (frame size and stream window
 * above {@code MAX_FRAME}) makes it one buffer, parsed once. Memory stays bounded: a stream holds at
 * most its window, and the reader pauses the stream while a frame is being written.
 */
@ApplicationScoped
public class TransferWindows implements HttpServerOptionsCustomizer {

    /** Largest DATA frame a peer may send: a whole transfer frame plus its gRPC prefix. */
    static final int MAX_FRAME_SIZE = 512 * 1024;
    /** Stream flow-control window: a few transfer frames in flight per chunk transfer. */
    static final int STREAM_WINDOW = 1024 * 1024;
    /** Connection window: room for many concurrent transfers of one worker. */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    static void apply(HttpServerOptions options) {
        options.getInitialSettings().setMaxFrameSize(MAX_FRAME_SIZE).setInitialWindowSize(STREAM_WINDOW);
        options.setHttp2ConnectionWindowSize(CONNECTION_WINDOW);
    }
}
