package dev.sluice.access.http;

import dev.sluice.access.Scopes;
import dev.sluice.access.store.TokenStore;
import dev.sluice.api.ProblemException;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/tokens}: API tokens, for admins. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@RolesAllowed(Role.ADMIN_NAME)
public class TokensResource {
    @Inject
    TokenStore tokens;

    @Inject
    SecurityIdentity caller;

    public record CreateRequest(String name, List<String> roles, List<String> scopes) {}

    /** The new token: {@code token} is shown this once and never again. */
    public record Created(String name, List<String> roles, List<String> scopes, String token) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a token",
            description = "The answer holds the token; it is not stored and not shown again")
    public Response create(CreateRequest request) {
        if (request == null) {
            throw DomainException.invalidField("", "required", "send {\"name\", \"roles\", \"scopes\"}");
        }
        if (request.name() == null || !request.name().matches("[a-z0-9]([-a-z0-9.@]{0,98}[a-z0-9])?")) {
            throw DomainException.invalidField(
                    "/name",
                    "token-name",
                    "1 to 100 lower-case letters, digits, '-', '.', '@'; it is recorded as the actor of every action");
        }
        if (request.roles() == null || request.roles().isEmpty()) {
            throw DomainException.invalidField(
                    "/roles", "min-items", "give at least one of viewer, operator," + " reviewer, client, admin");
        }
        List<Role> roles = new ArrayList<>();
        for (int i = 0; i < request.roles().size(); i++) {
            try {
                roles.add(Role.of(request.roles().get(i)));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalidField(
                        "/roles/" + i,
                        "role",
                        e.getMessage() + "; roles are viewer, operator, reviewer, client, admin");
            }
        }
        List<String> scopes = request.scopes() == null ? List.of() : request.scopes();
        for (int i = 0; i < scopes.size(); i++) {
            if (scopes.get(i) == null || !Scopes.valid(scopes.get(i))) {
                throw DomainException.invalidField("/scopes/" + i, "scope", "a scope is plan/service, plan/* or *");
            }
        }
        if (roles.contains(Role.CLIENT) && scopes.isEmpty()) {
            throw DomainException.invalidField(
                    "/scopes",
                    "min-items",
                    "a client token needs scopes: the plan/service pairs it may ask admission for");
        }
        String token = tokens.create(
                request.name(), roles, scopes, caller.getPrincipal().getName(), null);
        return Response.status(201)
                .entity(new Created(request.name(), request.roles(), scopes, token))
                .build();
    }

    @GET
    @Operation(summary = "List tokens (never their secrets)")
    public List<TokenStore.TokenView> list() {
        return tokens.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token", description = "Other replicas stop accepting it within 5 s")
    public Response revoke(@PathParam("id") String id, @QueryParam("reason") String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalidParameter("reason", "required", "say why the token is revoked");
        }
        tokens.revoke(id, caller.getPrincipal().getName(), reason);
        return Response.noContent().build();
    }
}
