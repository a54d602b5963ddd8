package io.p2pdl.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.cli.testing.Downloads;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadTextTest {

    @Test
    void tableAlignsColumnsUnderTheirHeaders() {
        String table = DownloadText.table(List.of(Downloads.running("d1", "big.iso", 1 << 20, 1 << 19),
                Downloads.running("d22", "s", -1, 2048)));
        String[] lines = table.split("\\R");
        assertEquals("ID   STATE    PROGRESS  SIZE     WORKERS  NAME", lines[0]);
        assertEquals("d1   RUNNING  50.0%     1.0 MiB  2        big.iso", lines[1]);
        assertEquals("d22  RUNNING  2.0 KiB   ?        2        s", lines[2]);
    }

    @Test
    void statusOfAFailedDownloadExplainsTheReason() {
        String status = DownloadText.status(Downloads.failed("d1", "f", FailureReason.ORIGIN_FORBIDDEN, "403 from origin"));
        assertTrue(status.contains("state:     FAILED\n"), status);
        assertTrue(status.contains("reason:    the origin refused access (ORIGIN_FORBIDDEN): 403 from origin\n"), status);
        assertTrue(status.contains("progress:  40.0%\n"), status);
        assertTrue(status.contains("chunks:    0 done, 0 leased, 0 queued of 0\n"), status); // no "x 0 B" for single streams
    }

    @Test
    void statusSaysWhenThePlansLastChunksAreQuarterPieces() {
        Download equal = Downloads.running("d1", "f", 10L << 20, 0).toBuilder().setChunkSizeBytes(1 << 20)
                .setChunksTotal(10).setChunksQueued(10).build();
        assertTrue(DownloadText.status(equal).contains("chunks:    0 done, 0 leased, 10 queued of 10 x 1.0 MiB\n"),
                DownloadText.status(equal));
        Download tail = Downloads.running("d2", "f", 512L << 20, 0).toBuilder().setChunkSizeBytes(4 << 20)
                .setChunksTotal(176).setChunksQueued(176).build();
        assertTrue(DownloadText.status(tail).contains("queued of 176 x 4.0 MiB, the last ones in quarter pieces\n"),
                DownloadText.status(tail));
    }
}
