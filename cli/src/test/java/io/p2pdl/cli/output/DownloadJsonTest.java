package io.p2pdl.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.p2pdl.cli.testing.Downloads;
import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadJsonTest {

    @Test
    void everyDownloadFieldAppearsUnderItsLowerCamelName() {
        String json = DownloadJson.object(Download.getDefaultInstance());
        for (FieldDescriptor field : Download.getDescriptor().getFields()) {
            assertTrue(json.contains("\"" + field.getJsonName() + "\":"), field.getJsonName() + " missing in " + json);
        }
        assertTrue(json.contains("\"sizeBytes\":0"), json);
        assertTrue(json.contains("\"expectedChecksum\":null"), json);
        assertTrue(json.contains("\"state\":\"DOWNLOAD_STATE_UNSPECIFIED\""), json);
    }

    @Test
    void valuesAreTypedAndNestedMessagesAreObjects() {
        Download d = Downloads.failed("d1", "a\"b\\c\n.iso", FailureReason.ORIGIN_CHANGED, "tab\there").toBuilder()
                .setExpectedChecksum(Checksum.newBuilder().setAlgorithm(ChecksumAlgorithm.SHA256).setHex("00ff"))
                .setCreatedAtUnixMs(1_764_000_000_000L).build();
        String json = DownloadJson.object(d);
        assertTrue(json.startsWith("{\"id\":\"d1\","), json);
        assertTrue(json.contains("\"outputName\":\"a\\\"b\\\\c\\n.iso\""), json);
        assertTrue(json.contains("\"message\":\"tab\\there\""), json);
        assertTrue(json.contains("\"failureReason\":\"ORIGIN_CHANGED\""), json);
        assertTrue(json.contains("\"resumable\":true"), json);
        assertTrue(json.contains("\"createdAtUnixMs\":1764000000000"), json);
        assertTrue(json.contains("\"expectedChecksum\":{\"algorithm\":\"SHA256\",\"hex\":\"00ff\"}"), json);
        assertTrue(json.endsWith(",\"progress\":0.4000}"), json);
    }

    @Test
    void progressIsNullWhileTheSizeIsUnknownAndOneWhenCompleted() {
        assertTrue(DownloadJson.object(Downloads.running("d", "f", -1, 5)).endsWith("\"progress\":null}"));
        assertTrue(DownloadJson.object(Downloads.completed("d", "f", 0, 0)).endsWith("\"progress\":1.0000}"));
    }

    @Test
    void listIsAnArrayWithOneObjectPerLine() {
        assertEquals("[]", DownloadJson.array(List.of()));
        String json = DownloadJson.array(List.of(Downloads.running("a", "f", 1, 0), Downloads.running("b", "g", 1, 0)));
        String[] lines = json.split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[1].startsWith("  {\"id\":\"a\"") && lines[1].endsWith("},"), json);
        assertTrue(lines[2].startsWith("  {\"id\":\"b\"") && lines[2].endsWith("}"), json);
    }
}
