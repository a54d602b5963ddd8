package io.p2pdl.fetch.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;

/** An exchange run by the JDK's HttpClient: https, proxies, everything but the plain-http fast path. */
final class JdkExchange implements OriginExchange {

    /** Longest error body read to keep the connection reusable; larger ones close it. */
    static final int MAX_DRAINED_ERROR_BODY = 64 * 1024;

    private final HttpResponse<InputStream> response;
    private final InputStream body;

    JdkExchange(HttpResponse<InputStream> response) {
        this.response = response;
        this.body = response.body();
    }

    @Override
    public int status() {
        return response.statusCode();
    }

    @Override
    public HttpHeaders headers() {
        return response.headers();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        byte[] a = dst.array();
        int start = dst.arrayOffset() + dst.position();
        int room = dst.remaining();
        int n = body.read(a, start, room);
        if (n < 0) {
            return -1;
        }
        int filled = n;
        // Whatever else already arrived goes into the same frame.
        while (filled < room && body.available() > 0) {
            n = body.read(a, start + filled, room - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        dst.position(dst.position() + filled);
        return filled;
    }

    @Override
    public boolean prefersHeapBuffers() {
        return true;
    }

    @Override
    public void discard() {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (body) {
            // Small error bodies of known length are read so the keep-alive connection can be
            // reused; anything else (a whole file answered with 200) closes the connection.
            if (length >= 0 && length <= MAX_DRAINED_ERROR_BODY) {
                body.readNBytes((int) length);
            }
        } catch (IOException ignored) {
            // The connection is discarded instead.
        }
    }

    @Override
    public void close() throws IOException {
        // Closing the JDK client's body stream cancels the exchange and wakes a blocked read.
        body.close();
    }
}
