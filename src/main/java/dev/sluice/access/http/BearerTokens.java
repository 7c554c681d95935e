package dev.sluice.access.http;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A bearer token verified outside the HTTP security layer (gRPC metadata), through the same identity
 * provider as {@link BearerTokenMechanism}: the same cache, the same revocation time, the same roles
 * and scopes.
 */
@ApplicationScoped
public class BearerTokens {
    private static final String PREFIX = "Bearer ";

    @Inject
    IdentityProviderManager identities;

    /**
     * The identity for an {@code authorization} value; a failed {@link Uni} with {@link
     * AuthenticationFailedException} when it is missing, not a bearer token, or not a valid token.
     */
    public Uni<SecurityIdentity> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("no bearer token"));
        }
        return identities.authenticate(new TokenAuthenticationRequest(
                authorization.substring(PREFIX.length()).trim()));
    }
}
