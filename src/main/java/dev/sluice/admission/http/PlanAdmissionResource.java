package dev.sluice.admission.http;

import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.RetryAfter;
import dev.sluice.admission.http.AdmissionResource.LeaseRequest;
import dev.sluice.admission.http.AdmissionResource.PermitRequest;
import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.admission.replica.PlanRuns;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.domain.Role;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.WhenNoRun;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Admission at an address a dependent can know before the incident: the plan's. It answers for the
 * plan's latest run exactly as the run's own address does while that run is running, paused or
 * aborted (its floor); says "unrestricted" once the run has completed; and before the plan's first
 * run answers what the plan's {@code admission.whenNoRun} says.
 */
@Path("/api/v1/plans/{plan}/services/{service}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admission")
@RolesAllowed(Role.CLIENT_NAME)
public class PlanAdmissionResource {
    /** On an unrestricted answer: how many seconds it holds (the clients need not ask again before). */
    static final String UNRESTRICTED_HEADER = "Sluice-Unrestricted";

    @Inject
    AdmissionAnswers answers;

    @Inject
    AdmissionRegistry admission;

    @Inject
    PlanRuns planRuns;

    @Inject
    SecurityIdentity caller;

    @Inject
    Clock clock;

    /**
     * Admission is not restricted now: no run restricts it (the latest completed, or none ever ran and
     * the plan says {@code open}). Clients may send freely and need not ask again before {@code
     * unrestrictedUntil}.
     *
     * @param reason {@code run-completed} or {@code no-run}
     * @param run the completed run, or null
     */
    public record Unrestricted(
            boolean unrestricted,
            String reason,
            String run,
            Long granted,
            String clientId,
            long unrestrictedSeconds,
            Instant unrestrictedUntil) {}

    @POST
    @Path("permits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ask for permits at the plan's address (its latest run)",
            description = "As the run's permits while a run is running, paused or aborted; 200 with unrestricted=true"
                    + " (and a Sluice-Unrestricted header giving the seconds it holds) once the latest run has"
                    + " completed, or before any run when the plan's admission.whenNoRun is open; 429 reason"
                    + " no-run with Retry-After before any run when it is closed (the default)")
    public Uni<Response> permits(
            @PathParam("plan") String plan, @PathParam("service") String service, PermitRequest request) {
        return answer(plan, service, latest -> {
            if (latest.restricting()) {
                return answers.permits(latest.runId(), service, request);
            }
            long count = request == null || request.count() == null ? 1 : request.count();
            return unrestrictedOrClosed(plan, service, latest, count, null);
        });
    }

    @POST
    @Path("leases")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Take or refresh a rate lease at the plan's address (its latest run)",
            description = "As the run's leases while a run restricts admission; 200 with unrestricted=true and no rate"
                    + " when none does (refresh at unrestrictedUntil); 429 reason no-run before any run when the"
                    + " plan's admission.whenNoRun is closed")
    public Uni<Response> lease(
            @PathParam("plan") String plan, @PathParam("service") String service, LeaseRequest request) {
        return answer(plan, service, latest -> {
            if (latest.restricting()) {
                return Response.ok(answers.lease(latest.runId(), service, request))
                        .build();
            }
            return unrestrictedOrClosed(plan, service, latest, null, request == null ? null : request.clientId());
        });
    }

    @DELETE
    @Path("leases/{client}")
    @Operation(
            summary = "Give a lease back at the plan's address",
            description = "204; when no run restricts admission there is nothing to give back, and it is 204 too")
    public Uni<Response> release(
            @PathParam("plan") String plan, @PathParam("service") String service, @PathParam("client") String client) {
        return answer(plan, service, latest -> {
            if (latest.restricting()) {
                answers.release(latest.runId(), service, client);
            }
            return Response.noContent().build();
        });
    }

    /**
     * Checks the scope before anything is looked up (a token without it learns nothing about the plan),
     * then answers on the event loop when everything is in memory, as the run's own address does.
     */
    private Uni<Response> answer(
            String plan, String service, java.util.function.Function<PlanRuns.Latest, Response> work) {
        ScopeCheck.require(caller, plan, service);
        Supplier<Response> resolved = () -> {
            PlanRuns.Latest latest = planRuns.latest(plan);
            if (latest.plan().service(service) == null) {
                throw ProblemException.notFound("plan " + plan + " has no service " + service);
            }
            return work.apply(latest);
        };
        if (inMemory(plan)) {
            return Uni.createFrom().item(resolved);
        }
        return Uni.createFrom().item(resolved).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private boolean inMemory(String plan) {
        if (!planRuns.knownNow(plan)) {
            return false;
        }
        PlanRuns.Latest latest = planRuns.latest(plan);
        return !latest.restricting() || admission.answersInMemory(latest.runId());
    }

    private Response unrestrictedOrClosed(
            String plan, String service, PlanRuns.Latest latest, Long granted, String clientId) {
        CompiledPlan.Admission settings = latest.plan().admission();
        if (latest.completed() || settings.whenNoRun() == WhenNoRun.OPEN) {
            long seconds = settings.unrestrictedSeconds();
            return Response.ok(new Unrestricted(
                            true,
                            latest.completed() ? "run-completed" : "no-run",
                            latest.runId(),
                            granted,
                            clientId,
                            seconds,
                            clock.instant().plusSeconds(seconds)))
                    .header(UNRESTRICTED_HEADER, Long.toString(seconds))
                    .build();
        }
        RetryAfter retry = latest.noRunRetry(ThreadLocalRandom.current());
        Problem problem = Problem.of(
                        429,
                        "not-admitted",
                        "Too many requests",
                        "plan " + plan + " has no run yet and admits nothing until an operator starts one"
                                + " (admission.whenNoRun: closed)")
                .with("reason", "no-run")
                .with("retryAfterMillis", retry.millis());
        throw new ProblemException(
                problem,
                Map.of(
                        "Retry-After",
                        Long.toString(retry.seconds()),
                        AdmissionResource.RETRY_AFTER_MS,
                        Long.toString(retry.millis()),
                        RateLimitFields.POLICY,
                        RateLimitFields.policy(service, 0, 0),
                        RateLimitFields.LIMIT,
                        RateLimitFields.limit(service, 0, retry.seconds())));
    }
}
