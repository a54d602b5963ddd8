package io.p2pdl.fetch.engine;

import java.io.Closeable;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;

/**
 * One ranged GET whose response head has arrived: status, headers, and the body to read. Closing
 * it before the body is fully read aborts the exchange (and wakes a blocked read from another
 * thread); closing it after the end lets the connection be reused.
 */
interface OriginExchange extends Closeable {

    int status();

    HttpHeaders headers();

    /**
     * Reads at least one byte into {@code dst} (blocking), plus whatever else is already buffered,
     * up to its remaining space.
     *
     * @return bytes read, or -1 at the end of the body
     */
    int read(ByteBuffer dst) throws IOException;

    /** Whether {@link #read} wants a buffer with a backing array (else a direct buffer is cheaper). */
    boolean prefersHeapBuffers();

    /** Ends an exchange whose body is not wanted: small bodies of known length are read so the connection stays usable. */
    void discard();

    @Override
    void close() throws IOException;
}
