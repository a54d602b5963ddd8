package io.p2pdl.fetch.auth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The shared-secret tokens that authenticate workers and admin clients to coordinators: sent as
 * {@code authorization: Bearer <token>} gRPC metadata, loaded from a value or a file (a mounted
 * Secret), and compared in constant time.
 */
public final class BearerTokens {

    /** The metadata key carrying the token. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";

    private BearerTokens() {
    }

    /**
     * The token from {@code value}, else from the first line of {@code file}; empty when neither is
     * set.
     *
     * @throws IllegalArgumentException with a one-line reason when the file cannot be read or is empty
     */
    public static Optional<String> load(Optional<String> value, Optional<Path> file) {
        Optional<String> direct = value.map(String::trim).filter(v -> !v.isEmpty());
        if (direct.isPresent() || file.isEmpty()) {
            return direct;
        }
        try {
            String content = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
            if (content.isEmpty()) {
                throw new IllegalArgumentException("token file " + file.get() + " is empty");
            }
            return Optional.of(content.lines().findFirst().orElse("").trim());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read token file " + file.get() + ": " + e.getMessage());
        }
    }

    /** A client interceptor that sends {@code token} with every call. */
    public static ClientInterceptor interceptor(String token) {
        String header = PREFIX + token;
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, header);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** The token a call presented, if it sent a well-formed bearer header. */
    public static Optional<String> presented(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        return Optional.of(value.substring(PREFIX.length()).trim());
    }

    /** Compares two tokens in time independent of where they differ. */
    public static boolean matches(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
