package dev.sluice.access.http;

import dev.sluice.api.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json, through the one table of problem types like every other refusal
 * ({@code UNAUTHENTICATED}, {@code FORBIDDEN}); each refused attempt is audited ({@link
 * RefusalAudit}): no token, a bad token, a role that does not allow the call, and a client token
 * outside its scopes.
 */
public class AccessDeniedResponses {
    @Inject
    RefusalAudit refusals;

    @Inject
    SecurityIdentity identity;

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, HttpServerRequest request) {
        return unauthorized(request, BearerTokens.NO_TOKEN);
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthorized(request, BearerTokens.BAD_TOKEN);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        String who =
                identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        Problem problem = RouteAccess.forbiddenProblem(who, identity, request);
        refusals.refused(who, RouteAccess.call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    @ServerExceptionMapper
    public Response outOfScope(ScopeCheck.ScopeRefusal e, HttpServerRequest request) {
        Problem problem = RouteAccess.outOfScopeProblem(e, request);
        refusals.refused(e.actor(), RouteAccess.call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private Response unauthorized(HttpServerRequest request, String detail) {
        Problem problem = RouteAccess.unauthorizedProblem(detail, request);
        refusals.refused("anonymous", RouteAccess.call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", BearerTokens.CHALLENGE)
                .entity(problem)
                .build();
    }
}
