package io.p2pdl.cli.output;

import io.p2pdl.cli.client.FailureReasons;
import io.p2pdl.cli.progress.DownloadProgress;
import io.p2pdl.cli.progress.Units;
import io.p2pdl.coordinator.plan.ChunkPlan;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Human-readable views of downloads: {@code status} as aligned key/value lines, {@code list} as a table. */
public final class DownloadText {

    private DownloadText() {
    }

    /** The {@code status} view: one {@code key: value} line per fact, ending with a newline. */
    public static String status(Download d) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("id", d.getId()));
        rows.add(row("name", d.getOutputName()));
        rows.add(row("url", d.getUrl()));
        rows.add(row("path", d.getOutputPath()));
        rows.add(row("state", d.getState().name()));
        if (d.getState() == DownloadState.FAILED) {
            rows.add(row("reason", FailureReasons.sentence(d.getFailureReason().name(), d.getMessage())));
        } else if (!d.getMessage().isBlank()) {
            rows.add(row("message", d.getMessage()));
        }
        rows.add(row("progress", progress(d)));
        rows.add(row("size", d.getSizeBytes() < 0 ? "unknown" : Units.bytes(d.getSizeBytes()) + " (" + d.getSizeBytes() + " bytes)"));
        rows.add(row("chunks", d.getChunksDone() + " done, " + d.getChunksLeased() + " leased, "
                + d.getChunksQueued() + " queued of " + d.getChunksTotal()
                + chunkShape(d)));
        rows.add(row("workers", Integer.toString(d.getActiveWorkers())));
        rows.add(row("resumable", d.getResumable() ? "yes" : "no"));
        rows.add(row("duration", Units.duration(d.getDurationMs())));
        if (d.getCreatedAtUnixMs() > 0) {
            rows.add(row("created", Instant.ofEpochMilli(d.getCreatedAtUnixMs()).toString()));
        }
        if (d.getFinishedAtUnixMs() > 0) {
            rows.add(row("finished", Instant.ofEpochMilli(d.getFinishedAtUnixMs()).toString()));
        }
        if (d.hasExpectedChecksum()) {
            rows.add(row("expected", d.getExpectedChecksum().getAlgorithm().name().toLowerCase(Locale.ROOT)
                    + "=" + d.getExpectedChecksum().getHex()));
        }
        if (!d.getSha256().isEmpty()) {
            rows.add(row("sha256", d.getSha256()));
        }
        if (!d.getOwner().isEmpty()) {
            rows.add(row("owner", d.getOwner()));
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 1;
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %s%n", r[0] + ":", r[1]));
        }
        return sb.toString();
    }

    /** The {@code list} view: a header and one row per download, columns padded to fit. */
    public static String table(List<Download> downloads) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "PROGRESS", "SIZE", "WORKERS", "NAME"});
        for (Download d : downloads) {
            rows.add(new String[] {d.getId(), d.getState().name(), progress(d),
                    d.getSizeBytes() < 0 ? "?" : Units.bytes(d.getSizeBytes()),
                    Integer.toString(d.getActiveWorkers()), DownloadProgress.name(d)});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i + 1 < r.length ? String.format(Locale.ROOT, "%-" + widths[i] + "s  ", r[i]) : r[i]);
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String progress(Download d) {
        var fraction = DownloadProgress.fraction(d);
        return fraction.isPresent() ? Units.percent(fraction.getAsDouble()) : Units.bytes(d.getCompletedBytes());
    }

    private static String[] row(String key, String value) {
        return new String[] {key, value};
    }

    /** " x 4 MiB", and whether the plan's last chunks are cut into quarter pieces (more chunks than equal ones). */
    private static String chunkShape(Download d) {
        long chunk = d.getChunkSizeBytes();
        if (chunk <= 0) {
            return "";
        }
        long equal = d.getSizeBytes() < 0 ? 0 : new ChunkPlan(d.getSizeBytes(), chunk).equalChunks();
        return " x " + Units.bytes(chunk) + (d.getChunksTotal() > equal ? ", the last ones in quarter pieces" : "");
    }
}
