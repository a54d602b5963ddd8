package io.p2pdl.coordinator.probe;

import io.p2pdl.proto.v1.Validator;
import java.net.URI;
import java.util.Optional;

/**
 * What the probe learned about the origin's file.
 *
 * @param finalUrl URL after redirects
 * @param size total size in bytes, -1 when unknown
 * @param ranges true when the origin answered a range request with a matching 206: the download
 *     can be chunked and resumed
 * @param validator ETag / Last-Modified of the probed version
 * @param fileName a file name suggested by {@code Content-Disposition}, if any
 * @param note why the download is not chunked, when it is not (one human line), else empty
 */
public record ProbeResult(URI finalUrl, long size, boolean ranges, Validator validator, Optional<String> fileName,
        String note) {
}
