package dev.sluice.access.http;

import dev.sluice.access.store.TokenStore;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Turns a bearer token into an identity: the token's name is the principal (the actor recorded in
 * the audit log), its roles (with the roles they include) are the identity's roles, and its scopes
 * an attribute. A cached token is answered without leaving the calling thread.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    public static final String SCOPES = "sluice.scopes";

    @Inject
    TokenStore tokens;

    /** Identities of tokens verified in the last few seconds: the request path skips hashing. */
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Verified(SecurityIdentity identity, long atNanos) {}

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity recent = recentlyVerified(request.token());
        if (recent != null) {
            return Uni.createFrom().item(recent);
        }
        Optional<TokenStore.Caller> cached = tokens.verifyCached(request.token());
        if (cached != null) {
            return cached.map(c -> remember(request.token(), c))
                    .map(i -> Uni.createFrom().item(i))
                    .orElseGet(TokenIdentityProvider::refused);
        }
        return context.runBlocking(() -> tokens.verify(request.token())
                .map(c -> remember(request.token(), c))
                .orElseThrow(() -> new AuthenticationFailedException("invalid or revoked token")));
    }

    /**
     * The identity of a token verified in the last {@link TokenStore#CACHE_NANOS} and not revoked here
     * since, or null (then {@link #authenticate} must verify it). Never blocks: the permit route asks
     * this first, on the event loop.
     */
    public SecurityIdentity recentlyVerified(String token) {
        Verified recent = verified.get(token);
        if (recent != null
                && System.nanoTime() - recent.atNanos() < TokenStore.CACHE_NANOS
                && tokens.stillValid(token)) {
            return recent.identity();
        }
        return null;
    }

    private SecurityIdentity remember(String token, TokenStore.Caller caller) {
        SecurityIdentity identity = identity(caller);
        verified.put(token, new Verified(identity, System.nanoTime()));
        return identity;
    }

    private static Uni<SecurityIdentity> refused() {
        return Uni.createFrom().failure(new AuthenticationFailedException("invalid or revoked token"));
    }

    private static SecurityIdentity identity(TokenStore.Caller caller) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addAttribute(SCOPES, caller.scopes());
        caller.roles().forEach(r -> b.addRole(r.wireName()));
        return b.build();
    }
}
