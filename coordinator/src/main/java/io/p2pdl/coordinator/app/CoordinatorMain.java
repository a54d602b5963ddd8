package io.p2pdl.coordinator.app;

import io.p2pdl.coordinator.tls.PemKeyPair;
import io.p2pdl.coordinator.tls.ReloadingKeyManager;
import io.p2pdl.coordinator.tls.ServerTls;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** Entry point: the command line becomes configuration, then Quarkus runs until SIGTERM. */
@QuarkusMain
public final class CoordinatorMain {

    private CoordinatorMain() {
    }

    public static void main(String... args) {
        CoordinatorArgs parsed;
        try {
            parsed = CoordinatorArgs.parse(args);
        } catch (CoordinatorArgs.UsageException e) {
            System.err.println("p2pdl coordinator: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(CoordinatorArgs.USAGE);
            return;
        }
        parsed.properties().forEach(System::setProperty);
        try {
            // Files are checked now so a bad one is one line, not a failed start-up's stack trace.
            var lookup = ServerTls.systemLookup();
            ServerTls.resolve(lookup).ifPresent(tls -> {
                ServerTls.clientTls(Optional.of(tls), lookup);
                // A key of another certificate is refused now, in one line, not at the first handshake.
                new ReloadingKeyManager(tls.certFile(), tls.keyFile(), PemKeyPair::keyManager);
                tls.quarkusProperties(lookup).forEach(System::setProperty);
            });
        } catch (IllegalArgumentException e) {
            System.err.println("p2pdl coordinator: " + e.getMessage());
            System.exit(2);
            return;
        }
        if ("0".equals(System.getProperty(CoordinatorArgs.GRPC_PORT))) {
            // The start-up log line names the gRPC port clients dial: pick a free one now.
            System.setProperty(CoordinatorArgs.GRPC_PORT,
                    Integer.toString(freePort(System.getProperty(CoordinatorArgs.GRPC_HOST))));
        }
        Quarkus.run(args);
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, host == null ? null : InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port: " + e.getMessage(), e);
        }
    }
}
