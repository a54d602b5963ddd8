package io.p2pdl.fetch.origin;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The SSRF guard: which addresses origins may resolve to. Link-local and cloud metadata
 * addresses, unspecified, multicast and broadcast addresses are always refused; loopback,
 * private, shared (CGNAT) and other special-purpose ranges are refused unless an allowed CIDR
 * covers them; everything else is allowed. A host is refused when ANY of its addresses is.
 *
 * <p>Checks resolve the host with the JDK resolver (and its cache), which the HTTP client uses
 * too; the check and the connection still resolve separately, so DNS rebinding between the two
 * is not excluded (see docs/security.md). A host that does not resolve here is not refused: the
 * request fails on its own, or a proxy resolves it.
 */
public final class OriginAddressPolicy {

    /** Resolves a host name (or literal) to all of its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The coordinator's configuration key of the allow-list. */
    public static final String COORDINATOR_KEY = "p2pdl.coordinator.origins.allowed-cidrs";
    /** The worker's configuration key of the allow-list. */
    public static final String WORKER_KEY = "p2pdl.worker.origins.allowed-cidrs";
    /** The command-line flag that adds one allowed CIDR. */
    public static final String FLAG = "--allow-origin-cidr";

    private final List<Cidr> allowed;
    private final String configKey;
    private final Resolver resolver;

    private OriginAddressPolicy(List<Cidr> allowed, String configKey, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.configKey = Objects.requireNonNull(configKey, "configKey");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * A policy allowing {@code allowed} in addition to public addresses.
     *
     * @param configKey the configuration key named in refusals ("allow it with ... or KEY")
     */
    public static OriginAddressPolicy of(Collection<Cidr> allowed, String configKey) {
        return new OriginAddressPolicy(new ArrayList<>(new LinkedHashSet<>(allowed)), configKey,
                InetAddress::getAllByName);
    }

    /** Only public addresses: the default. */
    public static OriginAddressPolicy strict(String configKey) {
        return of(List.of(), configKey);
    }

    /**
     * Parses configured CIDRs (blank entries are ignored).
     *
     * @throws IllegalArgumentException one line: {@code KEY: '10.0.0.0/33' is not a CIDR: ...}
     */
    public static OriginAddressPolicy parse(Collection<String> cidrs, String configKey) {
        List<Cidr> parsed = new ArrayList<>();
        for (String c : cidrs) {
            if (c == null || c.isBlank()) {
                continue;
            }
            try {
                parsed.add(Cidr.parse(c));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(configKey + ": " + e.getMessage());
            }
        }
        return of(parsed, configKey);
    }

    /** A copy that resolves host names with {@code r} (tests: fake DNS). */
    public OriginAddressPolicy withResolver(Resolver r) {
        return new OriginAddressPolicy(allowed, configKey, r);
    }

    /** A copy that also allows {@code more}. */
    public OriginAddressPolicy allowing(Collection<Cidr> more) {
        List<Cidr> all = new ArrayList<>(allowed);
        all.addAll(more);
        return new OriginAddressPolicy(new ArrayList<>(new LinkedHashSet<>(all)), configKey, resolver);
    }

    /** The allowed CIDRs, in configuration order. */
    public List<Cidr> allowed() {
        return allowed;
    }

    /** Checks the host of {@code url}. */
    public void check(URI url) throws OriginRefusedException {
        check(url.getHost());
    }

    /**
     * Resolves {@code host} and checks every address.
     *
     * @throws OriginRefusedException for the first refused address
     */
    public void check(String host) throws OriginRefusedException {
        if (host == null || host.isEmpty()) {
            return;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":") && bare.indexOf('%') > 0) {
            // A zone (fe80::1%eth0) names an interface, not another address: check the address,
            // even when the zone is unknown here and the lookup would fail.
            bare = bare.substring(0, bare.indexOf('%'));
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return;
        }
        for (InetAddress a : addresses) {
            checkAddress(bare, a);
        }
    }

    /** Checks one address {@code host} resolved to. */
    public void checkAddress(String host, InetAddress address) throws OriginRefusedException {
        AddressRanges.Range range = AddressRanges.classify(address);
        AddressCategory category = range.category();
        String text = IpAddresses.text(IpAddresses.normalise(address));
        if (category.neverFetched()) {
            throw new OriginRefusedException(host, text, category, "origin host " + host + " resolves to " + text
                    + ", which is " + category.description() + " and is never fetched");
        }
        if (category == AddressCategory.PUBLIC || isAllowed(address)) {
            return;
        }
        throw new OriginRefusedException(host, text, category, "origin host " + host + " resolves to "
                + category.description() + " (" + text + "); allow it with " + FLAG + " " + range.cidr() + " or "
                + configKey);
    }

    private boolean isAllowed(InetAddress address) {
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
