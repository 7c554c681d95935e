package dev.sluice.access.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemTypes;
import dev.sluice.api.RouteProblems;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.domain.Role;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Who may read {@code /q/metrics}. Its series name plans, runs, services and their allocations, so
 * by default it needs a token with the viewer role (every role but client includes it; Prometheus
 * sends one with {@code authorization: credentials_file} in its scrape config). {@code
 * SLUICE_METRICS_PUBLIC=true} serves it to anyone, for a network where only the scraper reaches
 * Sluice. Refusals are problems and audited like every other.
 */
@Singleton
public class MetricsAccess {
    static final String PATH = "/q/metrics";

    /** After the URL limit, before the metrics route. */
    private static final int PRIORITY = 5_000;

    /** {@code sluice.metrics.*}. */
    @ConfigMapping(prefix = "sluice.metrics")
    public interface Settings {
        /** Whether {@code /q/metrics} is served without a token. */
        @WithName("public")
        @WithDefault("false")
        boolean open();
    }

    @Inject
    Settings settings;

    @Inject
    IdentityProviderManager identities;

    @Inject
    RefusalAudit refusals;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (settings.open() || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
            context.next();
            return;
        }
        String token = BearerTokens.tokenOf(context.request().getHeader("Authorization"));
        if (token == null) {
            refuse(context, "anonymous", Fault.UNAUTHENTICATED, "metrics need a token: Authorization: Bearer <token>");
            return;
        }
        Context vertxContext = Vertx.currentContext();
        identities
                .authenticate(new TokenAuthenticationRequest(token))
                .emitOn(command -> vertxContext.runOnContext(ignored -> command.run()))
                .subscribe()
                .with(
                        identity -> admit(context, identity),
                        failure -> refuse(context, "anonymous", Fault.UNAUTHENTICATED, BearerTokens.BAD_TOKEN));
    }

    private void admit(RoutingContext context, SecurityIdentity identity) {
        if (identity.hasRole(Role.VIEWER_NAME)) {
            context.next();
            return;
        }
        String who = identity.getPrincipal().getName();
        refuse(
                context,
                who,
                Fault.FORBIDDEN,
                "token " + who + " has roles " + identity.getRoles() + "; metrics need the viewer role");
    }

    private void refuse(RoutingContext context, String actor, Fault fault, String detail) {
        Problem problem =
                ProblemTypes.problemOf(new DomainException(fault, detail)).at(context.normalizedPath());
        refusals.refused(actor, context.request().method() + " " + context.normalizedPath(), problem.status());
        RouteProblems.end(
                context,
                problem,
                fault == Fault.UNAUTHENTICATED ? Map.of("WWW-Authenticate", BearerTokens.CHALLENGE) : Map.of());
    }
}
