package io.p2pdl.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** The worker id sent to coordinators: configured, or host name plus a random suffix. */
final class WorkerIdentity {

    private WorkerIdentity() {
    }

    static String resolve(Optional<String> configured) {
        return configured.map(String::trim).filter(s -> !s.isEmpty()).orElseGet(WorkerIdentity::generate);
    }

    /**
     * The suffix keeps two workers on one host (or a restarted pod reusing its name) distinct,
     * so a coordinator never mistakes one for the other.
     */
    static String generate() {
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return hostName() + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
