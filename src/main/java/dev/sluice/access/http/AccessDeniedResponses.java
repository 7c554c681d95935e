package dev.sluice.access.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemTypes;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
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
        return unauthorized(request, "this call needs a token: Authorization: Bearer <token>");
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthorized(request, "the token is not valid, or was revoked");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        String who =
                identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        Problem problem = problem(
                Fault.FORBIDDEN,
                "token " + who + " has roles " + identity.getRoles() + ", which do not allow " + request.method() + " "
                        + request.path(),
                request);
        refusals.refused(who, call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    @ServerExceptionMapper
    public Response outOfScope(ScopeCheck.ScopeRefusal e, HttpServerRequest request) {
        Problem problem = ProblemTypes.problemOf(e).at(request.path());
        refusals.refused(e.actor(), call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private Response unauthorized(HttpServerRequest request, String detail) {
        Problem problem = problem(Fault.UNAUTHENTICATED, detail, request);
        refusals.refused("anonymous", call(request), problem.status());
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"sluice\"")
                .entity(problem)
                .build();
    }

    private static Problem problem(Fault fault, String detail, HttpServerRequest request) {
        return ProblemTypes.problemOf(new DomainException(fault, detail)).at(request.path());
    }

    private static String call(HttpServerRequest request) {
        return request.method() + " " + request.path();
    }
}
