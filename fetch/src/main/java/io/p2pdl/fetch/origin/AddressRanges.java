package io.p2pdl.fetch.origin;

import java.net.InetAddress;
import java.util.List;

/**
 * The table of special address ranges, most specific first: the never-fetched ones come before
 * the ranges that contain them ({@code fd00:ec2::254} inside {@code fc00::/7}, {@code 100.100.100.200}
 * inside {@code 100.64.0.0/10}, {@code 255.255.255.255} inside {@code 240.0.0.0/4}).
 */
final class AddressRanges {

    /** One range and what it is. */
    record Range(Cidr cidr, AddressCategory category) {
    }

    private static final List<Range> RANGES = List.of(
            // Never fetched.
            range("169.254.0.0/16", AddressCategory.LINK_LOCAL_OR_METADATA),
            range("fe80::/10", AddressCategory.LINK_LOCAL_OR_METADATA),
            range("fd00:ec2::254/128", AddressCategory.LINK_LOCAL_OR_METADATA), // AWS IMDS over IPv6
            range("100.100.100.200/32", AddressCategory.LINK_LOCAL_OR_METADATA), // Alibaba Cloud metadata
            range("168.63.129.16/32", AddressCategory.LINK_LOCAL_OR_METADATA), // Azure WireServer
            range("0.0.0.0/8", AddressCategory.UNSPECIFIED),
            range("::/128", AddressCategory.UNSPECIFIED),
            range("255.255.255.255/32", AddressCategory.BROADCAST),
            range("224.0.0.0/4", AddressCategory.MULTICAST),
            range("ff00::/8", AddressCategory.MULTICAST),
            // Refused unless allowed.
            range("127.0.0.0/8", AddressCategory.LOOPBACK),
            range("::1/128", AddressCategory.LOOPBACK),
            range("10.0.0.0/8", AddressCategory.PRIVATE),
            range("172.16.0.0/12", AddressCategory.PRIVATE),
            range("192.168.0.0/16", AddressCategory.PRIVATE),
            range("fc00::/7", AddressCategory.PRIVATE),
            range("100.64.0.0/10", AddressCategory.SHARED),
            range("192.0.0.0/24", AddressCategory.SPECIAL_PURPOSE), // IETF protocol assignments
            range("192.0.2.0/24", AddressCategory.SPECIAL_PURPOSE), // documentation
            range("198.18.0.0/15", AddressCategory.SPECIAL_PURPOSE), // benchmarking
            range("198.51.100.0/24", AddressCategory.SPECIAL_PURPOSE), // documentation
            range("203.0.113.0/24", AddressCategory.SPECIAL_PURPOSE), // documentation
            range("240.0.0.0/4", AddressCategory.SPECIAL_PURPOSE), // reserved
            range("100::/64", AddressCategory.SPECIAL_PURPOSE), // discard-only
            range("64:ff9b:1::/48", AddressCategory.SPECIAL_PURPOSE), // local-use NAT64
            range("2001::/32", AddressCategory.SPECIAL_PURPOSE), // Teredo (embeds an obfuscated IPv4)
            range("2001:db8::/32", AddressCategory.SPECIAL_PURPOSE), // documentation
            range("2002::/16", AddressCategory.SPECIAL_PURPOSE), // 6to4 (embeds an IPv4)
            range("fec0::/10", AddressCategory.SPECIAL_PURPOSE)); // deprecated site-local

    private AddressRanges() {
    }

    private static Range range(String cidr, AddressCategory category) {
        return new Range(Cidr.parse(cidr), category);
    }

    /** The first range containing {@code address} (normalised), or a PUBLIC pseudo-range of the address. */
    static Range classify(InetAddress address) {
        for (Range r : RANGES) {
            if (r.cidr().contains(address)) {
                return r;
            }
        }
        InetAddress n = IpAddresses.normalise(address);
        return new Range(Cidr.parse(IpAddresses.text(n)), AddressCategory.PUBLIC);
    }
}
