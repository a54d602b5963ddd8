package io.p2pdl.cli.local;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code p2pdl get} puts a file: the directory (the local coordinator's data directory) and the
 * file name (the download's output name), plus the hidden state directory beside it that holds the
 * coordinator's state and the child logs until the download succeeds, like aria2's control file.
 *
 * @param directory absolute directory of the output file
 * @param name      output file name (no separators)
 */
public record OutputTarget(Path directory, String name) {

    /** Used when the URL's path names no file. */
    static final String DEFAULT_NAME = "download";
    private static final int MAX_NAME_LENGTH = 200;

    /** The output file. */
    public Path path() {
        return directory.resolve(name);
    }

    /** {@code <dir>/.<name>.p2pdl/}: kept on failure so a re-run resumes, deleted after success. */
    public Path stateDir() {
        return directory.resolve("." + name + ".p2pdl");
    }

    /**
     * Resolves {@code -o PATH} (null when absent) against {@code workingDir}. Without {@code -o}, or
     * when PATH is an existing directory or ends with a separator, the name comes from the URL.
     */
    public static OutputTarget resolve(URI url, String output, Path workingDir) {
        if (output == null || output.isBlank()) {
            return new OutputTarget(workingDir.toAbsolutePath().normalize(), nameFromUrl(url));
        }
        Path path = workingDir.resolve(output).toAbsolutePath().normalize();
        boolean directory = output.endsWith("/") || output.endsWith(java.io.File.separator) || Files.isDirectory(path);
        if (directory) {
            return new OutputTarget(path, nameFromUrl(url));
        }
        Path parent = path.getParent();
        return new OutputTarget(parent == null ? path.getRoot() : parent, path.getFileName().toString());
    }

    /**
     * The last segment of the URL's path, percent-decoded and made safe as a file name, else
     * {@value #DEFAULT_NAME}.
     */
    public static String nameFromUrl(URI url) {
        String rawPath = url.getRawPath();
        if (rawPath == null || rawPath.isEmpty() || rawPath.endsWith("/")) {
            return DEFAULT_NAME;
        }
        String segment = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        return sanitize(percentDecode(segment));
    }

    /**
     * Makes {@code name} a single safe path element: separators and control characters become
     * {@code _}, surrounding blanks go, {@code .} and {@code ..} are refused, and long names are cut.
     */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            boolean unsafe = c == '/' || c == '\\' || c < 0x20 || c == 0x7f;
            sb.appendCodePoint(unsafe ? '_' : c);
        });
        String clean = sb.toString().strip();
        if (clean.isEmpty() || clean.chars().allMatch(c -> c == '.')) {
            return DEFAULT_NAME;
        }
        if (clean.length() > MAX_NAME_LENGTH) {
            int cut = MAX_NAME_LENGTH;
            if (Character.isLowSurrogate(clean.charAt(cut))) {
                cut--;
            }
            clean = clean.substring(0, cut);
        }
        return clean;
    }

    /** RFC 3986 percent-decoding as UTF-8 (unlike URLDecoder, {@code +} stays a plus). */
    static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
