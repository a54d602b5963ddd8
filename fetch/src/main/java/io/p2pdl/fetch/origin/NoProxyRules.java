package io.p2pdl.fetch.origin;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parsed {@code NO_PROXY} list. Entries are separated by commas or white space:
 * {@code *} (no proxy at all), {@code host} (that host and its sub-domains, as curl does),
 * {@code .suffix} (the domain and its sub-domains), {@code host:port} (only that port),
 * IP literals ({@code 10.1.2.3}, {@code ::1}, {@code [::1]:8080}) and CIDR blocks
 * ({@code 10.0.0.0/8}), which Kubernetes clusters commonly put there.
 */
final class NoProxyRules {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Rule(String host, int port, BigInteger network, int prefix, int addressBits) {
        boolean matches(String candidate, BigInteger candidateIp, int candidateBits, int candidatePort) {
            if (port != -1 && port != candidatePort) {
                return false;
            }
            if (network != null) {
                if (candidateIp == null || candidateBits != addressBits) {
                    return false;
                }
                int shift = addressBits - prefix;
                return candidateIp.shiftRight(shift).equals(network.shiftRight(shift));
            }
            return candidate.equals(host) || candidate.endsWith("." + host);
        }
    }

    private final boolean all;
    private final List<Rule> rules;

    private NoProxyRules(boolean all, List<Rule> rules) {
        this.all = all;
        this.rules = rules;
    }

    static NoProxyRules parse(String value) {
        List<Rule> rules = new ArrayList<>();
        boolean all = false;
        for (String raw : value.split("[,\\s]+")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            Rule rule = parseEntry(entry);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new NoProxyRules(all, List.copyOf(rules));
    }

    /** True when requests to {@code host:port} must not use the proxy. */
    boolean bypass(String host, int port) {
        if (all) {
            return true;
        }
        String h = EnvProxySelector.stripBrackets(host.toLowerCase(Locale.ROOT));
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        byte[] ip = ipLiteral(h);
        BigInteger ipValue = ip == null ? null : new BigInteger(1, ip);
        int bits = ip == null ? 0 : ip.length * 8;
        for (Rule rule : rules) {
            if (rule.matches(h, ipValue, bits, port)) {
                return true;
            }
        }
        return false;
    }

    private static Rule parseEntry(String entry) {
        int port = -1;
        String host = entry;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (rest.startsWith(":")) {
                port = parsePort(rest.substring(1));
            }
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            // Exactly one colon: host:port. Several colons: a bare IPv6 address.
            int colon = host.indexOf(':');
            port = parsePort(host.substring(colon + 1));
            host = host.substring(0, colon);
        }
        if (port == -2) {
            return null;
        }
        int slash = host.indexOf('/');
        if (slash > 0) {
            byte[] net = ipLiteral(host.substring(0, slash));
            if (net == null) {
                return null;
            }
            int prefix;
            try {
                prefix = Integer.parseInt(host.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > net.length * 8) {
                return null;
            }
            return new Rule(null, port, new BigInteger(1, net), prefix, net.length * 8);
        }
        if (host.startsWith("*.")) {
            host = host.substring(2);
        } else if (host.startsWith(".")) {
            host = host.substring(1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            return null;
        }
        byte[] ip = ipLiteral(host);
        if (ip != null) {
            // An IP matches only itself (as a /32 or /128), never as a domain suffix.
            return new Rule(null, port, new BigInteger(1, ip), ip.length * 8, ip.length * 8);
        }
        return new Rule(host, port, null, 0, 0);
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            return p > 0 && p < 65536 ? p : -2;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    /** The address bytes when {@code text} is an IP literal; never performs a DNS lookup. */
    private static byte[] ipLiteral(String text) {
        if (!(IPV4.matcher(text).matches() || text.contains(":"))) {
            return null;
        }
        try {
            // Safe: for IPv4 dotted quads and anything with a colon, getByName parses literally.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
