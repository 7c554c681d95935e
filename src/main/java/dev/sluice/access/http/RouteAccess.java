package dev.sluice.access.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemResponses;
import dev.sluice.api.ProblemTypes;
import dev.sluice.api.RouteProblems;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.runtime.DatabaseUnavailable;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The token check of a route served below JAX-RS (the permit route): the same token verification as
 * {@link BearerTokenMechanism} ({@link TokenIdentityProvider}, its cache, revocation and outage
 * grace), and the same refusals as {@link AccessDeniedResponses} — 401 with {@code WWW-Authenticate},
 * 403 for a role or a scope that does not allow the call, each audited by {@link RefusalAudit}.
 */
@Singleton
public class RouteAccess {
    @Inject
    TokenIdentityProvider tokens;

    @Inject
    BearerTokens bearerTokens;

    @Inject
    RefusalAudit refusals;

    /**
     * Calls {@code admitted} with the caller when the request carries a valid token with {@code role};
     * otherwise answers the refusal. A token verified in the last few seconds is answered on the
     * calling thread; another is verified as {@link BearerTokens#verify} does, and {@code admitted}
     * runs back on the request's context, with the request paused meanwhile.
     */
    public void requireRole(RoutingContext context, String role, Consumer<SecurityIdentity> admitted) {
        String header = context.request().getHeader("Authorization");
        String token = BearerTokens.tokenOf(header);
        if (token == null) {
            unauthorized(context, BearerTokens.NO_TOKEN);
            return;
        }
        SecurityIdentity recent = tokens.recentlyVerified(token);
        if (recent != null) {
            admit(context, role, recent, admitted);
            return;
        }
        Context requestContext = Vertx.currentContext();
        context.request().pause();
        bearerTokens
                .verify(header)
                .emitOn(command -> requestContext.runOnContext(ignored -> command.run()))
                .subscribe()
                .with(
                        identity -> {
                            admit(context, role, identity, admitted);
                            context.request().resume();
                        },
                        failure -> {
                            context.request().resume();
                            if (DatabaseUnavailable.isCause(failure)) {
                                RouteProblems.end(
                                        context,
                                        ProblemResponses.databaseUnavailableProblem(RouteProblems.decodedPath(context)),
                                        ProblemResponses.databaseUnavailableHeaders());
                            } else {
                                unauthorized(context, BearerTokens.BAD_TOKEN);
                            }
                        });
    }

    private void admit(
            RoutingContext context, String role, SecurityIdentity caller, Consumer<SecurityIdentity> admitted) {
        if (caller.hasRole(role)) {
            admitted.accept(caller);
            return;
        }
        HttpServerRequest request = context.request();
        String who = caller.getPrincipal().getName();
        Problem problem = forbiddenProblem(who, caller, request);
        refusals.refused(who, call(request), problem.status());
        RouteProblems.end(context, problem, Map.of());
    }

    /**
     * Answers a client token asked outside its scopes ({@link ScopeCheck}), audited; false for any
     * other failure (the caller answers it).
     */
    public boolean answeredOutOfScope(RoutingContext context, Throwable failure) {
        if (!(failure instanceof ScopeCheck.ScopeRefusal refusal)) {
            return false;
        }
        Problem problem = outOfScopeProblem(refusal, context.request());
        refusals.refused(refusal.actor(), call(context.request()), problem.status());
        RouteProblems.end(context, problem, Map.of());
        return true;
    }

    private void unauthorized(RoutingContext context, String detail) {
        Problem problem = unauthorizedProblem(detail, context.request());
        refusals.refused("anonymous", call(context.request()), problem.status());
        RouteProblems.end(context, problem, Map.of("WWW-Authenticate", BearerTokens.CHALLENGE));
    }

    static Problem unauthorizedProblem(String detail, HttpServerRequest request) {
        return problem(Fault.UNAUTHENTICATED, detail, request);
    }

    static Problem forbiddenProblem(String who, SecurityIdentity caller, HttpServerRequest request) {
        return problem(
                Fault.FORBIDDEN,
                "token " + who + " has roles " + caller.getRoles() + ", which do not allow " + request.method() + " "
                        + request.path(),
                request);
    }

    static Problem outOfScopeProblem(ScopeCheck.ScopeRefusal refusal, HttpServerRequest request) {
        return ProblemTypes.problemOf(refusal).at(request.path());
    }

    static String call(HttpServerRequest request) {
        return request.method() + " " + request.path();
    }

    private static Problem problem(Fault fault, String detail, HttpServerRequest request) {
        return ProblemTypes.problemOf(new DomainException(fault, detail)).at(request.path());
    }
}
