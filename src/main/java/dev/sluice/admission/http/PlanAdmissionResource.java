package dev.sluice.admission.http;

import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.http.AdmissionResource.LeaseRequest;
import dev.sluice.admission.replica.PlanRuns;
import dev.sluice.domain.Role;
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
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Admission at an address a dependent can know before the incident: the plan's. It answers for the
 * plan's latest run exactly as the run's own address does while that run is running, paused or
 * aborted (its floor); says "unrestricted" once the run has completed; and before the plan's first
 * run answers what the plan's {@code admission.whenNoRun} says. Its permits are served by {@link
 * PermitRoute}; its leases here.
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
    SecurityIdentity caller;

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
            return unrestricted(answers.unrestrictedOrClosed(
                    plan, service, latest, null, request == null ? null : request.clientId()));
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
     * then answers on a worker thread, as the run's own address does (a lease that raises the leased
     * rate is recorded before it is answered).
     */
    private Uni<Response> answer(
            String plan, String service, java.util.function.Function<PlanRuns.Latest, Response> work) {
        ScopeCheck.require(caller, plan, service);
        Supplier<Response> resolved = () -> work.apply(answers.latest(plan, service));
        return Uni.createFrom().item(resolved).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** An unrestricted answer, with the seconds it holds in {@link #UNRESTRICTED_HEADER}. */
    static Response unrestricted(Unrestricted answer) {
        return Response.ok(answer)
                .header(UNRESTRICTED_HEADER, Long.toString(answer.unrestrictedSeconds()))
                .build();
    }
}
