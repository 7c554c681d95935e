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
    /** The {@code WWW-Authenticate} value of every 401. */
    static final String CHALLENGE = "Bearer realm=\"sluice\"";

    static final String NO_TOKEN = "this call needs a token: Authorization: Bearer <token>";
    static final String BAD_TOKEN = "the token is not valid, or was revoked";

    @Inject
    IdentityProviderManager identities;

    /**
     * The identity for an {@code authorization} value; a failed {@link Uni} with {@link
     * AuthenticationFailedException} when it is missing, not a bearer token, or not a valid token.
     */
    public Uni<SecurityIdentity> verify(String authorization) {
        String token = tokenOf(authorization);
        if (token == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("no bearer token"));
        }
        return identities.authenticate(new TokenAuthenticationRequest(token));
    }

    /** The token of an {@code Authorization} value ({@code Bearer <token>}, any case); null when it has none. */
    static String tokenOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        return authorization.substring(PREFIX.length()).trim();
    }
}
