package io.p2pdl.fetch.origin;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}); a bare
 * address is a range of one. Host bits below the prefix are ignored ({@code 10.1.2.3/8} is
 * {@code 10.0.0.0/8}). Addresses are compared after {@link IpAddresses#normalise}, so an IPv4
 * range also matches the IPv4-mapped IPv6 form of its addresses.
 */
public final class Cidr {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with one line saying what is wrong (never does a DNS lookup)
     */
    public static Cidr parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean v6Text = host.contains(":");
        // Only literals: anything else would make InetAddress ask DNS.
        if (!v6Text && !IPV4.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a CIDR: '" + host + "' is not an IP address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + t + "' is not a CIDR: '" + host + "' is not an IP address");
        }
        byte[] bytes = IpAddresses.normalise(address).getAddress();
        int bits = bytes.length * 8;
        // ::ffff:10.0.0.0/104 is the IPv4 range 10.0.0.0/8.
        int shift = v6Text && address instanceof Inet4Address ? 96 : 0;
        int prefix = bits + shift;
        if (slash >= 0) {
            String p = t.substring(slash + 1).trim();
            try {
                prefix = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a CIDR: prefix length '" + p + "' is not a number");
            }
        }
        if (prefix - shift < 0 || prefix - shift > bits) {
            throw new IllegalArgumentException("'" + t + "' is not a CIDR: prefix length " + prefix + " is outside 0.."
                    + (bits + shift));
        }
        prefix -= shift;
        return new Cidr(mask(bytes, prefix), prefix);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /** True when {@code address} (normalised) lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] a = IpAddresses.normalise(address).getAddress();
        return a.length == network.length && Arrays.equals(mask(a, prefix), network);
    }

    /** The prefix length. */
    public int prefix() {
        return prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** Normal form: {@code 10.0.0.0/8}, {@code fc00::/7}, {@code ::1/128}. */
    @Override
    public String toString() {
        try {
            return IpAddresses.text(InetAddress.getByAddress(network)) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
