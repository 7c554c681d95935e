package dev.sluice.access.http;

import dev.sluice.access.Scopes;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/whoami}: which token a caller is using, and what it may do. Any valid token. */
@Path("/api/v1/whoami")
@Authenticated
public class WhoAmIResource {
    @Inject
    SecurityIdentity caller;

    public record Me(String name, List<String> roles, List<String> scopes) {}

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public Me whoami() {
        Scopes scopes = caller.getAttribute(TokenIdentityProvider.SCOPES);
        return new Me(
                caller.getPrincipal().getName(),
                caller.getRoles().stream().sorted().toList(),
                scopes == null ? List.of() : scopes.entries());
    }
}
