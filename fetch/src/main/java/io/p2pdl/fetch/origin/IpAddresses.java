package io.p2pdl.fetch.origin;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address normalisation and printing shared by {@link Cidr} and {@link OriginAddressPolicy}. */
final class IpAddresses {

    /** NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the last 4 bytes are the IPv4 target. */
    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private IpAddresses() {
    }

    /**
     * The IPv4 address an IPv6 address stands for, when it embeds one: IPv4-mapped
     * ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}, but not {@code ::} and
     * {@code ::1}) and NAT64 ({@code 64:ff9b::a.b.c.d}); otherwise the address itself without
     * its scope. Policies check this form, so {@code ::ffff:169.254.169.254} is link-local.
     */
    static InetAddress normalise(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean zero10 = allZero(b, 0, 10);
        boolean mapped = zero10 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = zero10 && b[10] == 0 && b[11] == 0 && !(allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
        boolean nat64 = Arrays.equals(Arrays.copyOf(b, 12), NAT64);
        try {
            if (mapped || compatible || nat64) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The address as text, IPv6 in its shortest form ({@code fd00:ec2::254}). */
    static String text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            s.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                s.append(':');
            }
        }
        return s.toString();
    }
}
