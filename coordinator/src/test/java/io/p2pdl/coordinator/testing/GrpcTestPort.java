package io.p2pdl.coordinator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A free loopback port for the coordinator's gRPC server under test (grpc-java's server takes a
 * fixed port; the HTTP port is picked by Quarkus itself).
 */
public class GrpcTestPort implements QuarkusTestResourceLifecycleManager {

    private static final String KEY = "quarkus.grpc.server.test-port";

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Map.of(KEY, Integer.toString(s.getLocalPort()), "quarkus.grpc.server.host", "127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Nothing to release: the port was only chosen.
    }

    /** The gRPC port of the running test coordinator. */
    public static int port() {
        return ConfigProvider.getConfig().getValue(KEY, Integer.class);
    }
}
