package io.p2pdl.coordinator.download;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Output names: derived from the origin when not given, and always confined to the data directory
 * (no absolute paths, no {@code ..}, no symbolic link leading outside).
 */
public final class OutputNames {

    /** Suffix of the file a download writes before it is verified and renamed. */
    public static final String PART_SUFFIX = ".part";
    private static final int MAX_NAME = 255;

    private final Path dataDir;

    public OutputNames(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        this.dataDir = dataDir.toRealPath();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A name for a download that was submitted without one. */
    public static String derive(Optional<String> suggested, URI submitted, URI resolved) {
        return suggested.map(OutputNames::sanitize).filter(n -> !n.isEmpty())
                .or(() -> lastSegment(submitted)).or(() -> lastSegment(resolved)).orElse("download");
    }

    private static Optional<String> lastSegment(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return Optional.empty();
        }
        String seg = path.substring(path.lastIndexOf('/') + 1);
        String decoded = URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
        String clean = sanitize(decoded);
        return clean.isEmpty() ? Optional.empty() : Optional.of(clean);
    }

    /** Keeps a single file name: no separators, no control characters, not "." or "..". */
    static String sanitize(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(c == '/' || c == '\\' || c < 0x20 || c == 0x7f ? '_' : c);
        }
        String s = b.toString().trim();
        if (s.equals(".") || s.equals("..")) {
            return "";
        }
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }

    /**
     * Resolves a relative output name inside the data directory.
     *
     * @throws DownloadException INVALID_ARGUMENT with the reason when the name is absolute, climbs
     *     out with {@code ..}, or resolves (through symbolic links) outside the data directory
     */
    public Path resolve(String name) {
        if (name.isEmpty()) {
            throw DownloadException.invalid("output name is empty");
        }
        if (name.indexOf('\0') >= 0 || name.chars().anyMatch(c -> c < 0x20)) {
            throw DownloadException.invalid("output name contains control characters");
        }
        Path rel;
        try {
            rel = Path.of(name);
        } catch (InvalidPathException e) {
            throw DownloadException.invalid("output name is not a valid path: " + e.getReason());
        }
        if (rel.isAbsolute() || name.startsWith("/") || name.startsWith("\\")) {
            throw DownloadException.invalid("output name '" + name + "' is absolute; give a name relative to the data directory");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw DownloadException.invalid("output name '" + name + "' contains '..'");
            }
        }
        if (name.endsWith(PART_SUFFIX)) {
            throw DownloadException.invalid("output name must not end with " + PART_SUFFIX);
        }
        Path target = dataDir.resolve(rel).normalize();
        if (!target.startsWith(dataDir) || target.equals(dataDir)) {
            throw DownloadException.invalid("output name '" + name + "' resolves outside the data directory");
        }
        checkNoEscape(name, target);
        return target;
    }

    /** Refuses a path whose existing ancestors (or itself) are symbolic links leading outside. */
    private void checkNoEscape(String name, Path target) {
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (existing != null && !existing.toRealPath().startsWith(dataDir)) {
                throw DownloadException.invalid("output name '" + name + "' leads outside the data directory through a symbolic link");
            }
            if (Files.isSymbolicLink(target)) {
                throw DownloadException.invalid("output name '" + name + "' is a symbolic link");
            }
        } catch (IOException e) {
            throw DownloadException.invalid("output name '" + name + "' cannot be checked: " + e.getMessage());
        }
    }

    /** The file a download writes into before verification. */
    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }
}
