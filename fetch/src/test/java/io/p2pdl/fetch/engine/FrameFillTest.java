package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link RangeFetch#fill} builds frames from an origin that delivers a little per read. */
class FrameFillTest {

    /** An exchange whose body is {@code total} bytes of 7, delivered {@code perRead} at a time. */
    private static final class Trickle implements OriginExchange {
        private long left;
        private final int perRead;
        int reads;

        Trickle(long total, int perRead) {
            this.left = total;
            this.perRead = perRead;
        }

        @Override
        public int status() {
            return 206;
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(perRead, left), dst.remaining());
            for (int i = 0; i < n; i++) {
                dst.put((byte) 7);
            }
            left -= n;
            return n;
        }

        @Override
        public boolean prefersHeapBuffers() {
            return true;
        }

        @Override
        public void discard() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFrameForGrpcCollectsManySmallReadsUntilFull() throws Exception {
        Trickle body = new Trickle(300_000, 1_000);
        List<Integer> seen = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocate(256 * 1024);
        assertEquals(256 * 1024, RangeFetch.fill(body, frame, seen::add, Long.MAX_VALUE));
        assertEquals(263, seen.size(), "every read reported (262 of 1000 bytes, then the rest of the frame)");
        ByteBuffer rest = ByteBuffer.allocate(256 * 1024);
        assertEquals(300_000 - 256 * 1024, RangeFetch.fill(body, rest, seen::add, Long.MAX_VALUE), "the body's end");
        assertEquals(-1, RangeFetch.fill(body, ByteBuffer.allocate(16), seen::add, Long.MAX_VALUE));
    }

    @Test
    void withoutTimeToWaitAFrameIsOneRead() throws Exception {
        Trickle body = new Trickle(300_000, 1_000);
        assertEquals(1_000, RangeFetch.fill(body, ByteBuffer.allocate(256 * 1024), n -> { }, 0));
        assertEquals(1, body.reads);
    }
}
