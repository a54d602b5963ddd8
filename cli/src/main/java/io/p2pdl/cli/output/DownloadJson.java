package io.p2pdl.cli.output;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.p2pdl.cli.progress.DownloadProgress;
import io.p2pdl.proto.v1.Download;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Writes downloads as JSON for scripts: one object per download with every field of the contract's
 * {@code Download} message under its lowerCamel JSON name (defaults included, so a script never has
 * to guess whether a key is missing or zero), plus the derived {@code progress} (0..1, null while the
 * size is unknown). Fields are walked through the proto descriptor, so fields added to the contract
 * appear without touching this class. 64-bit integers are JSON numbers (not strings as in proto3's
 * canonical JSON): byte counts stay far below 2^53 and scripts compare them as numbers.
 */
public final class DownloadJson {

    private DownloadJson() {
    }

    /** One JSON object for {@code download}, on one line. */
    public static String object(Download download) {
        StringBuilder sb = new StringBuilder();
        writeMessage(sb, download, true);
        return sb.toString();
    }

    /** A JSON array of objects, one per line, for {@code list}. */
    public static String array(List<Download> downloads) {
        if (downloads.isEmpty()) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < downloads.size(); i++) {
            sb.append("  ").append(object(downloads.get(i))).append(i + 1 < downloads.size() ? ",\n" : "\n");
        }
        return sb.append(']').toString();
    }

    private static void writeMessage(StringBuilder sb, Message message, boolean withProgress) {
        sb.append('{');
        boolean first = true;
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(JsonText.quote(field.getJsonName())).append(':');
            if (field.isRepeated()) {
                sb.append('[');
                int count = message.getRepeatedFieldCount(field);
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    writeValue(sb, field, message.getRepeatedField(field, i));
                }
                sb.append(']');
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !message.hasField(field)) {
                sb.append("null");
            } else {
                writeValue(sb, field, message.getField(field));
            }
        }
        if (withProgress && message instanceof Download download) {
            OptionalDouble progress = DownloadProgress.fraction(download);
            sb.append(first ? "" : ",").append("\"progress\":")
                    .append(progress.isPresent() ? String.format(Locale.ROOT, "%.4f", progress.getAsDouble()) : "null");
        }
        sb.append('}');
    }

    private static void writeValue(StringBuilder sb, FieldDescriptor field, Object value) {
        switch (field.getJavaType()) {
            case MESSAGE -> writeMessage(sb, (Message) value, false);
            case ENUM -> sb.append(JsonText.quote(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName()));
            case STRING -> sb.append(JsonText.quote((String) value));
            case BYTE_STRING -> sb.append(JsonText.quote(
                    java.util.Base64.getEncoder().encodeToString(((com.google.protobuf.ByteString) value).toByteArray())));
            case FLOAT, DOUBLE -> {
                double d = ((Number) value).doubleValue();
                sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
            }
            default -> sb.append(value); // int, long, boolean
        }
    }
}
