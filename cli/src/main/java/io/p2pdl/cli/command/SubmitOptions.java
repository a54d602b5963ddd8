package io.p2pdl.cli.command;

import io.p2pdl.cli.option.ByteSizeConverter;
import io.p2pdl.cli.option.ChecksumConverter;
import io.p2pdl.cli.option.HeaderConverter;
import io.p2pdl.proto.v1.Checksum;
import io.p2pdl.proto.v1.Header;
import io.p2pdl.proto.v1.SubmitRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that shape a download, shared by {@code submit} and {@code get}. */
public class SubmitOptions {

    @Option(names = "--checksum", paramLabel = "ALGO=HEX", converter = ChecksumConverter.class,
            description = "Expected checksum of the whole file, sha256=HEX or sha512=HEX; verified before completion.")
    Checksum checksum;

    @Option(names = "--chunk-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Chunk size: 1048576, 512K, 4M, 4MiB, 1G (powers of 1024). Default: the coordinator's (4 MiB).")
    Long chunkSize;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", converter = HeaderConverter.class,
            description = "Extra request header for the origin, repeatable (e.g. 'Authorization: Bearer ...'). "
                    + "Values are secrets: never shown back.")
    List<Header> headers = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace an existing file of the same name instead of failing.")
    boolean overwrite;

    /** A submit request for {@code url} stored as {@code outputName} (empty: derived by the coordinator). */
    public SubmitRequest request(String url, String outputName) {
        SubmitRequest.Builder b = SubmitRequest.newBuilder()
                .setUrl(url)
                .setOutputName(outputName == null ? "" : outputName)
                .setOverwrite(overwrite)
                .addAllHeaders(headers);
        if (checksum != null) {
            b.setChecksum(checksum);
        }
        if (chunkSize != null) {
            b.setChunkSizeBytes(chunkSize);
        }
        return b.build();
    }
}
