package io.p2pdl.fetch.discovery;

import java.util.Objects;

/**
 * The gRPC address of one coordinator.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port, 1-65535
 */
public record CoordinatorTarget(String host, int port) {

    public CoordinatorTarget {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("coordinator host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("coordinator port must be 1-65535, got " + port);
        }
    }

    /** Parses {@code host:port}, {@code 10.0.0.1:7400} or {@code [::1]:7400}. */
    public static CoordinatorTarget parse(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        String s = hostPort.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("expected [ipv6]:port, got '" + hostPort + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        try {
            return new CoordinatorTarget(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + hostPort + "' is not a number", e);
        }
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
