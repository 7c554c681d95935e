package dev.sluice.admission.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hands a call's {@code authorization} metadata (Envoy sends it from its {@code grpc_service}'s
 * {@code initial_metadata}) to the service, which verifies it: the transport only carries it.
 */
@ApplicationScoped
public class AuthorizationMetadata implements ServerInterceptor {
    static final Context.Key<String> AUTHORIZATION = Context.key("sluice.authorization");
    private static final Metadata.Key<String> HEADER =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context context = Context.current().withValue(AUTHORIZATION, headers.get(HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
