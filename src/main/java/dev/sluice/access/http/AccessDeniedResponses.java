package dev.sluice.access.http;

import dev.sluice.api.Problem;
import dev.sluice.audit.store.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json, and an audit event for each refused attempt, written off the request
 * thread (a refusal must stay cheap, and may happen on the event loop). At most
 * {@link #AUDITED_PER_SECOND} refusals a second are written, so a flood of bad calls cannot flood the
 * audit log; the others are counted in {@code sluice_access_denied_unaudited_total}.
 */
public class AccessDeniedResponses {
    static final int AUDITED_PER_SECOND = 20;
    private static final io.github.bucket4j.Bucket AUDIT_BUDGET = io.github.bucket4j.Bucket.builder()
            .addLimit(limit -> limit.capacity(AUDITED_PER_SECOND * 5L)
                    .refillGreedy(AUDITED_PER_SECOND, java.time.Duration.ofSeconds(1)))
            .build();
    private static final Logger LOG = Logger.getLogger(AccessDeniedResponses.class);
    private static final ExecutorService AUDIT_WRITER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-access-audit");
        t.setDaemon(true);
        return t;
    });

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    SecurityIdentity identity;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

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
        record(who, request, 403);
        return Response.status(403)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(
                                403,
                                "forbidden",
                                "Forbidden",
                                "token " + who + " has roles " + identity.getRoles() + ", which do not allow "
                                        + request.method() + " " + request.path())
                        .at(request.path()))
                .build();
    }

    private Response unauthorized(HttpServerRequest request, String detail) {
        record("anonymous", request, 401);
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"sluice\"")
                .entity(Problem.of(401, "unauthorized", "Unauthorized", detail).at(request.path()))
                .build();
    }

    private void record(String actor, HttpServerRequest request, int status) {
        if (!AUDIT_BUDGET.tryConsume(1)) {
            metrics.counter("sluice.access.denied.unaudited", "status", Integer.toString(status))
                    .increment();
            return;
        }
        String call = request.method() + " " + request.path();
        AUDIT_WRITER.execute(() -> {
            try {
                QuarkusTransaction.requiringNew()
                        .run(() -> audit.append(
                                clock.instant(),
                                actor,
                                "access-denied",
                                null,
                                null,
                                call,
                                null,
                                Integer.toString(status),
                                status == 401 ? "no valid token" : "role or scope does not allow it",
                                null));
            } catch (RuntimeException ex) {
                LOG.warnf("could not record a refused call (%s): %s", call, ex.getMessage());
            }
        });
    }
}
