package io.p2pdl.fetch.origin;

/**
 * What kind of address an origin resolves to, as far as fetching from it is concerned.
 * {@link #neverFetched()} categories are refused whatever the allow-list says; the others
 * except {@link #PUBLIC} are refused unless an allowed CIDR covers the address.
 */
public enum AddressCategory {
    /** 169.254.0.0/16, fe80::/10 and cloud metadata endpoints (fd00:ec2::254, 100.100.100.200, ...). */
    LINK_LOCAL_OR_METADATA("a link-local/metadata address", true),
    /** 0.0.0.0/8 and :: (on Linux, connecting to 0.0.0.0 reaches the local host). */
    UNSPECIFIED("an unspecified address", true),
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST("a multicast address", true),
    /** 255.255.255.255. */
    BROADCAST("the broadcast address", true),
    /** 127.0.0.0/8 and ::1. */
    LOOPBACK("a loopback address", false),
    /** 10/8, 172.16/12, 192.168/16 and fc00::/7. */
    PRIVATE("a private address", false),
    /** 100.64.0.0/10, carrier-grade NAT: inside provider networks, often cluster-internal. */
    SHARED("a shared (carrier-grade NAT) address", false),
    /** Other special-purpose ranges: documentation, benchmarking, reserved, 6to4, Teredo, ... */
    SPECIAL_PURPOSE("a special-purpose address", false),
    /** Everything else. */
    PUBLIC("a public address", false);

    private final String description;
    private final boolean neverFetched;

    AddressCategory(String description, boolean neverFetched) {
        this.description = description;
        this.neverFetched = neverFetched;
    }

    /** With an article, for messages: "a private address". */
    public String description() {
        return description;
    }

    /** True when no allow-list can open addresses of this category. */
    public boolean neverFetched() {
        return neverFetched;
    }
}
