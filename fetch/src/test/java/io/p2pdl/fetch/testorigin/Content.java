package io.p2pdl.fetch.testorigin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes a {@link TestOrigin} path serves: either a given array or pseudo-random bytes
 * computed from the offset, so files larger than 4 GiB need no storage and any range can be
 * checked without keeping a copy.
 */
public abstract class Content {

    private Content() {
    }

    /** Serves exactly these bytes (not copied: do not change the array afterwards). */
    public static Content bytes(byte[] data) {
        return new Fixed(Objects.requireNonNull(data, "data"));
    }

    /** {@code size} bytes that depend only on {@code seed} and the offset. */
    public static Content pseudoRandom(long seed, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        return new PseudoRandom(seed, size, 0);
    }

    /** The first {@code newSize} bytes of this content (what is left of a file that shrank). */
    public Content prefix(long newSize) {
        if (newSize < 0 || newSize > size()) {
            throw new IllegalArgumentException("prefix of " + newSize + " bytes outside 0-" + size());
        }
        Content whole = this;
        return new Content() {
            @Override
            public long size() {
                return newSize;
            }

            @Override
            public void readInto(long off, byte[] dst, int dstOff, int len) {
                whole.readInto(off, dst, dstOff, len);
            }

            @Override
            public Content changed() {
                return whole.changed().prefix(newSize);
            }
        };
    }

    /** Length in bytes. */
    public abstract long size();

    /** Copies {@code len} bytes starting at {@code off} into {@code dst} at {@code dstOff}. */
    public abstract void readInto(long off, byte[] dst, int dstOff, int len);

    /**
     * Another version of this content, of the same size but with different bytes: what the
     * origin serves once its file "changed".
     */
    public abstract Content changed();

    /** {@code len} bytes starting at {@code off}. */
    public byte[] read(long off, int len) {
        if (off < 0 || len < 0 || off + len > size()) {
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " outside 0-" + size());
        }
        byte[] out = new byte[len];
        readInto(off, out, 0, len);
        return out;
    }

    /** Everything, for small contents in tests. */
    public byte[] readAll() {
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("content of " + size() + " bytes does not fit an array");
        }
        return read(0, (int) size());
    }

    /** Lower-case hex SHA-256 of the whole content, computed by streaming it. */
    public String sha256Hex() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (long off = 0; off < size(); off += buf.length) {
                int n = (int) Math.min(buf.length, size() - off);
                readInto(off, buf, 0, n);
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Fixed extends Content {
        private final byte[] data;

        Fixed(byte[] data) {
            this.data = data;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void readInto(long off, byte[] dst, int dstOff, int len) {
            System.arraycopy(data, (int) off, dst, dstOff, len);
        }

        @Override
        public Content changed() {
            byte[] other = data.clone();
            for (int i = 0; i < other.length; i++) {
                other[i] = (byte) ~other[i];
            }
            return new Fixed(other);
        }
    }

    private static final class PseudoRandom extends Content {
        private final long seed;
        private final long size;
        private final int generation;

        PseudoRandom(long seed, long size, int generation) {
            this.seed = seed;
            this.size = size;
            this.generation = generation;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void readInto(long off, byte[] dst, int dstOff, int len) {
            long base = seed + 0x632BE59BD9B4E019L * generation;
            long pos = off;
            long block = pos >>> 3;
            long word = mix(base + block);
            for (int i = 0; i < len; i++, pos++) {
                if (pos >>> 3 != block) {
                    block = pos >>> 3;
                    word = mix(base + block);
                }
                dst[dstOff + i] = (byte) (word >>> ((int) (pos & 7) * 8));
            }
        }

        @Override
        public Content changed() {
            return new PseudoRandom(seed, size, generation + 1);
        }

        /** SplitMix64 finaliser: cheap, and every 8-byte word differs from its neighbours. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
