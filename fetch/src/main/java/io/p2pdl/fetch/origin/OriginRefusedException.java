package io.p2pdl.fetch.origin;

/**
 * An origin host resolves to an address the {@link OriginAddressPolicy} refuses. The message is
 * one line naming the host, the address, its category and, where possible, how to allow it.
 */
public final class OriginRefusedException extends Exception {

    private final String host;
    private final String address;
    private final AddressCategory category;

    OriginRefusedException(String host, String address, AddressCategory category, String message) {
        super(message, null, false, false);
        this.host = host;
        this.address = address;
        this.category = category;
    }

    /** The host as written in the URL. */
    public String host() {
        return host;
    }

    /** The refused address it resolves to. */
    public String address() {
        return address;
    }

    public AddressCategory category() {
        return category;
    }
}
