package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginAddressPolicyTest {

    private static final OriginAddressPolicy STRICT = OriginAddressPolicy.strict(OriginAddressPolicy.COORDINATOR_KEY);
    private static final OriginAddressPolicy EVERYTHING = OriginAddressPolicy.parse(
            List.of("0.0.0.0/0", "::/0"), OriginAddressPolicy.COORDINATOR_KEY);

    /** The category a literal address is refused for, or PUBLIC when it is allowed. */
    private static AddressCategory verdict(OriginAddressPolicy policy, String address) {
        try {
            policy.check(address);
            return AddressCategory.PUBLIC;
        } catch (OriginRefusedException e) {
            return e.category();
        }
    }

    @ParameterizedTest(name = "{0} is {1} by default and {2} with 0.0.0.0/0,::/0 allowed")
    @CsvSource({
        // never fetched, whatever the allow-list says
        "169.254.169.254, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "169.254.0.1, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "fe80::1, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "[fe80::1%25eth0], LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "fd00:ec2::254, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "100.100.100.200, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "::ffff:169.254.169.254, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "::169.254.169.254, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL_OR_METADATA, LINK_LOCAL_OR_METADATA",
        "0.0.0.0, UNSPECIFIED, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED, UNSPECIFIED",
        "::, UNSPECIFIED, UNSPECIFIED",
        "::ffff:0.0.0.0, UNSPECIFIED, UNSPECIFIED",
        "224.0.0.1, MULTICAST, MULTICAST",
        "ff02::1, MULTICAST, MULTICAST",
        "255.255.255.255, BROADCAST, BROADCAST",
        // refused unless allowed
        "127.0.0.1, LOOPBACK, PUBLIC",
        "127.255.255.254, LOOPBACK, PUBLIC",
        "::1, LOOPBACK, PUBLIC",
        "::ffff:127.0.0.1, LOOPBACK, PUBLIC",
        "2130706433, LOOPBACK, PUBLIC",
        "10.1.2.3, PRIVATE, PUBLIC",
        "172.16.0.1, PRIVATE, PUBLIC",
        "172.31.255.255, PRIVATE, PUBLIC",
        "192.168.1.1, PRIVATE, PUBLIC",
        "::ffff:10.0.0.1, PRIVATE, PUBLIC",
        "fd12:3456::1, PRIVATE, PUBLIC",
        "100.64.0.1, SHARED, PUBLIC",
        "198.18.0.1, SPECIAL_PURPOSE, PUBLIC",
        "240.0.0.1, SPECIAL_PURPOSE, PUBLIC",
        "2001:db8::1, SPECIAL_PURPOSE, PUBLIC",
        // public
        "93.184.215.14, PUBLIC, PUBLIC",
        "172.32.0.1, PUBLIC, PUBLIC",
        "100.128.0.1, PUBLIC, PUBLIC",
        "2606:4700::1111, PUBLIC, PUBLIC",
        "::ffff:8.8.8.8, PUBLIC, PUBLIC",
    })
    void addressesAreClassifiedAndOnlyRefusableOnesOpenUp(String address, AddressCategory strict,
            AddressCategory allowed) {
        assertEquals(strict, verdict(STRICT, address), "default policy");
        assertEquals(allowed, verdict(EVERYTHING, address), "allow-list 0.0.0.0/0,::/0");
    }

    @Test
    void refusalsNameHostAddressAndHowToAllowIt() {
        OriginRefusedException e = assertThrows(OriginRefusedException.class, () -> STRICT.check("10.1.2.3"));
        assertEquals("origin host 10.1.2.3 resolves to a private address (10.1.2.3); allow it with"
                + " --allow-origin-cidr 10.0.0.0/8 or p2pdl.coordinator.origins.allowed-cidrs", e.getMessage());
        e = assertThrows(OriginRefusedException.class, () -> EVERYTHING.check("[fd00:ec2::254]"));
        assertEquals("origin host fd00:ec2::254 resolves to fd00:ec2::254, which is a link-local/metadata address"
                + " and is never fetched", e.getMessage());
        e = assertThrows(OriginRefusedException.class, () -> STRICT.check("[::1]"));
        assertEquals("origin host ::1 resolves to a loopback address (::1); allow it with --allow-origin-cidr ::1/128"
                + " or p2pdl.coordinator.origins.allowed-cidrs", e.getMessage());
    }

    @Test
    void aHostIsRefusedWhenAnyOfItsAddressesIs() throws Exception {
        Map<String, String[]> dns = Map.of(
                "mixed.test", new String[] {"93.184.215.14", "10.0.0.7"},
                "public.test", new String[] {"93.184.215.14", "2606:4700::1111"});
        OriginAddressPolicy policy = STRICT.withResolver(host -> resolve(dns, host));
        OriginRefusedException e = assertThrows(OriginRefusedException.class, () -> policy.check("mixed.test"));
        assertEquals("10.0.0.7", e.address());
        assertEquals("mixed.test", e.host());
        policy.check("public.test");
        // Names that do not resolve here are left to the request (or a proxy) to fail.
        policy.check("nowhere.test");
    }

    @Test
    void allowListOpensOnlyTheRangesItCovers() throws Exception {
        OriginAddressPolicy policy = OriginAddressPolicy.parse(List.of("10.1.0.0/16", " ", "::1"),
                OriginAddressPolicy.WORKER_KEY);
        policy.check("10.1.2.3");
        policy.check("::1");
        assertEquals(AddressCategory.PRIVATE, verdict(policy, "10.2.0.1"));
        assertEquals(AddressCategory.LOOPBACK, verdict(policy, "127.0.0.1"));
        assertEquals(List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("::1/128")), policy.allowed());
        assertEquals(AddressCategory.PUBLIC, verdict(policy.allowing(List.of(Cidr.parse("127.0.0.0/8"))), "127.0.0.1"));
    }

    @Test
    void badCidrsAreRefusedWithOneLineNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginAddressPolicy.parse(List.of("10.0.0.0/8", "10.0.0.0/33"), OriginAddressPolicy.WORKER_KEY));
        assertEquals("p2pdl.worker.origins.allowed-cidrs: '10.0.0.0/33' is not a CIDR: prefix length 33 is outside 0..32",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OriginAddressPolicy.parse(List.of("intranet.example/8"), OriginAddressPolicy.COORDINATOR_KEY));
        assertEquals("p2pdl.coordinator.origins.allowed-cidrs: 'intranet.example/8' is not a CIDR:"
                + " 'intranet.example' is not an IP address", e.getMessage());
    }

    private static InetAddress[] resolve(Map<String, String[]> dns, String host) throws UnknownHostException {
        String[] names = dns.get(host);
        if (names == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = InetAddress.getByName(names[i]);
        }
        return out;
    }
}
