package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void parsesToNormalFormIgnoringHostBits() {
        assertEquals("10.0.0.0/8", Cidr.parse(" 10.1.2.3/8 ").toString());
        assertEquals("fc00::/7", Cidr.parse("fd12::/7").toString());
        assertEquals("::1/128", Cidr.parse("::1").toString());
        assertEquals("::1/128", Cidr.parse("[::1]").toString());
        assertEquals("192.168.1.7/32", Cidr.parse("192.168.1.7").toString());
        assertEquals("10.0.0.0/8", Cidr.parse("::ffff:10.0.0.0/104").toString());
        assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());
    }

    @Test
    void ipv4RangesMatchMappedIpv6Addresses() throws Exception {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        assertTrue(loopback.contains(InetAddress.getByName("127.1.2.3")));
        assertTrue(loopback.contains(InetAddress.getByName("::ffff:127.0.0.1")));
        assertFalse(loopback.contains(InetAddress.getByName("::1")));
        assertFalse(Cidr.parse("::/0").contains(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void malformedCidrsSayWhatIsWrongInOneLine() {
        assertEquals("'10.0.0.0/x' is not a CIDR: prefix length 'x' is not a number",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x")).getMessage());
        assertEquals("'fc00::/129' is not a CIDR: prefix length 129 is outside 0..128",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fc00::/129")).getMessage());
        assertEquals("'300.1.1.1/8' is not a CIDR: '300.1.1.1' is not an IP address",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("300.1.1.1/8")).getMessage());
        assertEquals("'fc00:::1/7' is not a CIDR: 'fc00:::1' is not an IP address",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fc00:::1/7")).getMessage());
        assertEquals("empty CIDR", assertThrows(IllegalArgumentException.class, () -> Cidr.parse(" ")).getMessage());
    }
}
