package io.p2pdl.coordinator.store;

import io.p2pdl.proto.state.v1.JournalRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The state directory: one sub-directory per download holding its {@link Journal}. A download's
 * directory is built under a temporary name and renamed into place, so after a crash it either exists
 * with a complete first record or not at all. Directories and files are owner-only because journals
 * hold origin credentials.
 */
public final class DownloadStore {

    private static final Logger LOG = Logger.getLogger(DownloadStore.class);
    static final String JOURNAL = "journal";
    private static final String TMP_SUFFIX = ".tmp";

    /** A download found on disk. */
    public record Loaded(String id, Journal journal, JournalReplay replay, long discardedBytes) {
    }

    private final Path root;
    private final boolean posix;

    public DownloadStore(Path stateDir) throws IOException {
        this.root = stateDir.resolve("downloads");
        this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(root);
        restrict(stateDir, "rwx------");
        restrict(root, "rwx------");
    }

    /** Creates the journal of a new download, durable (file and directory entry) before returning. */
    public Journal create(String id, JournalRecord created) throws IOException {
        Path tmp = root.resolve(id + TMP_SUFFIX);
        deleteTree(tmp);
        Files.createDirectory(tmp);
        restrict(tmp, "rwx------");
        Path journalFile = tmp.resolve(JOURNAL);
        Journal.create(journalFile, created).close();
        restrict(journalFile, "rw-------");
        fsyncDirectory(tmp);
        Path dir = root.resolve(id);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("state directory " + root + " does not support atomic rename", e);
        }
        fsyncDirectory(root);
        return Journal.open(dir.resolve(JOURNAL)).journal();
    }

    /**
     * Opens every download's journal. Unfinished creations (temporary directories) are removed;
     * unreadable journals are logged and skipped, never deleted.
     */
    public List<Loaded> loadAll() throws IOException {
        List<Loaded> loaded = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    deleteTree(dir);
                    continue;
                }
                try {
                    JournalReplay.Fold fold = new JournalReplay.Fold();
                    Journal.Opened r = Journal.open(dir.resolve(JOURNAL), fold);
                    if (r.discardedBytes() > 0) {
                        LOG.warnf("download %s: discarded a torn journal tail of %d bytes", name, r.discardedBytes());
                    }
                    JournalReplay replay;
                    try {
                        replay = fold.result();
                    } catch (IllegalArgumentException e) {
                        r.journal().close();
                        throw e;
                    }
                    loaded.add(new Loaded(name, r.journal(), replay, r.discardedBytes()));
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("download %s: state unreadable, skipped (%s)", name, e.getMessage());
                }
            }
        }
        return loaded;
    }

    private void restrict(Path p, String perms) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    /** Forces a directory's entries (a rename or create inside it) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is still atomic there.
            LOG.debugf("cannot fsync directory %s: %s", dir, e.getMessage());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
