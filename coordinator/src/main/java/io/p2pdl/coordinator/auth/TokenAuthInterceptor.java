package io.p2pdl.coordinator.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.p2pdl.fetch.auth.BearerTokens;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Refuses every worker or admin call that does not present the right token with
 * {@code UNAUTHENTICATED}, before any request message is read. Logs name the method and the
 * caller's address, never a token.
 */
@ApplicationScoped
@GlobalInterceptor
public class TokenAuthInterceptor implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(TokenAuthInterceptor.class);

    @Inject
    AuthPolicy policy;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        AuthPolicy.Verdict verdict = policy.check(method, BearerTokens.presented(headers));
        if (verdict == AuthPolicy.Verdict.ALLOWED) {
            return next.startCall(call, headers);
        }
        String role = AuthPolicy.roleOf(method);
        String why = (verdict == AuthPolicy.Verdict.MISSING ? "missing " : "wrong ") + role + " token";
        LOG.warnf("refused %s from %s: %s", method, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
        call.close(Status.UNAUTHENTICATED.withDescription("UNAUTHENTICATED: " + why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
