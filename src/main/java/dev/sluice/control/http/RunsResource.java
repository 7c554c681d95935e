package dev.sluice.control.http;

import dev.sluice.api.ETags;
import dev.sluice.api.Page;
import dev.sluice.api.ProblemException;
import dev.sluice.audit.AuditEvent;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.control.ActionRequests;
import dev.sluice.control.Decision;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.ServiceWants;
import dev.sluice.control.run.RunCommands;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.CompiledPlan.Stage;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateKind;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/runs}: start runs of plans, read their status, and act on them. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
@RolesAllowed(Role.VIEWER_NAME)
public class RunsResource {
    private static final int TIMELINE_IN_STATUS = 50;

    @Inject
    ServiceWants serviceWants;

    @Inject
    RunStore runs;

    @Inject
    RunCommands commands;

    @Inject
    AuditLog audit;

    @Inject
    java.time.Clock clock;

    @Context
    UriInfo uriInfo;

    @Inject
    SecurityIdentity caller;

    /** Why. Who is the caller's token, recorded with every transition the action causes. */
    public record ActionRequest(String reason) {}

    public record StartRequest(String plan, String reason) {}

    public record OverrideRequest(Double ratePerSecond, Long durationSeconds, String reason) {}

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(
            summary = "Start a run of a plan",
            description = "Idempotency-Key makes a retried start return the"
                    + " run it started (200) instead of starting another")
    public Response start(@HeaderParam("Idempotency-Key") String idempotencyKey, StartRequest request) {
        if (request == null) {
            throw DomainException.invalidField("", "required", "send {\"plan\", \"reason\"}");
        }
        if (request.plan() == null || request.plan().isBlank()) {
            throw DomainException.invalidField("/plan", "required", "name the plan to run");
        }
        checkReason(request.reason());
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.invalidParameter("Idempotency-Key", "range", "must be 1 to 200 characters");
        }
        RunCommands.Started started = commands.start(request.plan(), actor(), request.reason(), idempotencyKey);
        RunView view = view(started.run());
        if (!started.created()) {
            return Response.ok(view).tag(etag(started.run())).build();
        }
        return Response.created(UriBuilder.fromUri(uriInfo.getBaseUri())
                        .path("api/v1/runs")
                        .path(view.id())
                        .build())
                .tag(etag(started.run()))
                .entity(view)
                .build();
    }

    @GET
    @Operation(summary = "List runs, newest first")
    public List<RunSummary> list(@QueryParam("plan") String plan, @QueryParam("limit") Integer limit) {
        return runs.list(plan, Page.limit(limit)).stream().map(RunSummary::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Status of a run: stage, budget, services, gates with their readings, recent timeline")
    public Response get(@PathParam("id") String id) {
        StoredRun run = runs.get(id);
        return Response.ok(view(run)).tag(etag(run)).build();
    }

    @GET
    @Path("{id}/timeline")
    @Operation(summary = "Every transition of a run with actor and reason, oldest first, a page at a time")
    public List<AuditEvent> timeline(
            @PathParam("id") String id, @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        runs.get(id);
        return audit.ofRun(id, after == null ? 0 : after, Page.limit(limit));
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/pause")
    @Operation(summary = "Pause: admission stays at its current rates until resumed")
    public Response pause(
            @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, ActionRequest request) {
        return act(id, ifMatch, request, c -> OperatorAction.pause(c.state(), request.reason()));
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/resume")
    public Response resume(
            @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, ActionRequest request) {
        return act(id, ifMatch, request, c -> OperatorAction.resume(c.plan(), c.state(), request.reason(), c.now()));
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/promote")
    @Operation(summary = "Skip the rest of the current stage's hold and approve the next stage")
    public Response promote(
            @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, ActionRequest request) {
        return act(id, ifMatch, request, c -> OperatorAction.promote(c.plan(), c.state(), request.reason()));
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/step-back")
    public Response stepBack(
            @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, ActionRequest request) {
        return act(id, ifMatch, request, c -> OperatorAction.stepBack(c.plan(), c.state(), request.reason(), c.now()));
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/abort")
    @Operation(summary = "Abort: admission freezes at the plan's floor; restored services keep their rates")
    public Response abort(
            @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, ActionRequest request) {
        return act(id, ifMatch, request, c -> OperatorAction.abort(c.plan(), c.state(), request.reason()));
    }

    @PUT
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/overrides/{service}")
    @Operation(summary = "Pin a service's rate for a while", description = "Counted within the stage budget")
    public Response override(
            @PathParam("id") String id,
            @PathParam("service") String service,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            OverrideRequest request) {
        if (request == null) {
            throw DomainException.invalidField(
                    "", "required", "send {\"ratePerSecond\", \"durationSeconds\", \"reason\"}");
        }
        ActionRequests.checkOverride(request.ratePerSecond(), request.durationSeconds());
        return act(id, ifMatch, new ActionRequest(request.reason()), c -> {
            requireService(c.plan(), service);
            return OperatorAction.override(
                    c.plan(),
                    c.state(),
                    service,
                    request.ratePerSecond(),
                    c.now().plus(Duration.ofSeconds(request.durationSeconds())),
                    actor(),
                    request.reason());
        });
    }

    @DELETE
    @RolesAllowed(Role.OPERATOR_NAME)
    @Path("{id}/overrides/{service}")
    @Operation(summary = "Remove a service's pinned rate")
    public Response clearOverride(
            @PathParam("id") String id,
            @PathParam("service") String service,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            ActionRequest request) {
        return act(id, ifMatch, request, c -> {
            requireService(c.plan(), service);
            return OperatorAction.clearOverride(c.plan(), c.state(), service, request.reason());
        });
    }

    private Response act(
            String id, String ifMatch, ActionRequest request, Function<RunCommands.ActionContext, Decision> action) {
        if (request == null) {
            throw DomainException.invalidField("", "required", "send {\"reason\"}");
        }
        checkReason(request.reason());
        StoredRun run = commands.act(id, ETags.ifMatch(ifMatch, "the run"), actor(), request.reason(), action);
        return Response.ok(view(run)).tag(etag(run)).build();
    }

    private String actor() {
        return caller.getPrincipal().getName();
    }

    private static void checkReason(String reason) {
        ActionRequests.checkReason(reason);
    }

    private static void requireService(CompiledPlan plan, String service) {
        if (!plan.hasService(service)) {
            throw DomainException.notFound("the run's plan has no service \"" + service + "\"");
        }
    }

    private static EntityTag etag(StoredRun run) {
        return new EntityTag(Integer.toString(run.version()));
    }

    public record RunSummary(String id, String plan, String status, String stage, Instant createdAt) {
        static RunSummary of(StoredRun r) {
            return new RunSummary(
                    r.id(),
                    r.planName(),
                    r.state().status().wireName(),
                    r.plan().stages().get(r.state().stage()).name(),
                    r.createdAt());
        }
    }

    public record StageView(
            int index,
            String name,
            double share,
            double budgetPerSecond,
            Instant enteredAt,
            long holdSeconds,
            long holdRemainingSeconds,
            boolean holdSkipped,
            int stages) {}

    /**
     * @param wantedPerSecond what the service's clients asked for lately, summed over the replicas'
     *     reports (null when none reported): above the demand, a backlog the run drains before it completes
     */
    public record ServiceView(
            String name,
            String status,
            double allocationPerSecond,
            double demandPerSecond,
            Double wantedPerSecond,
            String priority,
            List<String> dependsOn,
            RunState.RateOverride override) {}

    public record GateView(
            String name,
            String kind,
            String state,
            int greenStreak,
            int redStreak,
            dev.sluice.health.GateReading reading,
            String beforeStage) {}

    /**
     * What the ramp learnt of the tier's real ceiling (null until a budget tripped).
     *
     * @param heldPerSecond the highest budget that held
     * @param trippedPerSecond the lowest budget that tripped a gate
     * @param trips how often a budget at that ceiling tripped
     * @param reprobeAt when the ramp tries the ceiling again
     * @param settled the search has closed the gap: the run stays at the budget that held
     * @param summary the same in words, e.g. "tier held 6050.0/s; 6250.0/s tripped 2 times"
     */
    public record CeilingView(
            Double heldPerSecond,
            double trippedPerSecond,
            int trips,
            Instant reprobeAt,
            boolean settled,
            String summary) {}

    public record RunView(
            String id,
            String plan,
            int planVersion,
            String status,
            String pauseReason,
            StageView stage,
            CeilingView ceiling,
            double allocatedPerSecond,
            List<ServiceView> services,
            List<GateView> gates,
            Instant unknownHealthSince,
            String startedBy,
            Instant createdAt,
            Instant updatedAt,
            Instant lastTickAt,
            int version,
            List<AuditEvent> timeline) {}

    private static CeilingView ceilingView(CompiledPlan plan, RunState s) {
        RunState.Ceiling c = s.ceiling();
        if (c.trippedPerSecond() == null) {
            return null;
        }
        String summary = (c.heldPerSecond() == null ? "" : "tier held " + Ramp.rate(c.heldPerSecond()) + "; ")
                + Ramp.rate(c.trippedPerSecond()) + " tripped " + (c.trips() == 1 ? "once" : c.trips() + " times");
        return new CeilingView(
                c.heldPerSecond(), c.trippedPerSecond(), c.trips(), c.reprobeAt(), Ramp.settled(plan, s), summary);
    }

    private RunView view(StoredRun r) {
        CompiledPlan plan = r.plan();
        RunState s = r.state();
        Stage stage = plan.stages().get(s.stage());
        Instant now = clock.instant();
        long held = Duration.between(s.stageEnteredAt(), r.updatedAt().isAfter(now) ? r.updatedAt() : now)
                .getSeconds();
        StageView stageView = new StageView(
                s.stage(),
                stage.name(),
                stage.share(),
                Ramp.budgetPerSecond(plan, s),
                s.stageEnteredAt(),
                stage.holdSeconds(),
                Math.max(0, stage.holdSeconds() - held),
                s.holdSkipped(),
                plan.stages().size());
        List<ServiceView> services = new ArrayList<>();
        Map<String, Double> wants = s.status().isActive() ? serviceWants.wantedPerSecond(r.id()) : Map.of();
        for (CompiledPlan.Service svc : plan.services()) {
            RunState.ServiceRun run = s.services().get(svc.name());
            services.add(new ServiceView(
                    svc.name(),
                    run.status().toString(),
                    run.allocationPerSecond(),
                    svc.demandPerSecond(),
                    wants.get(svc.name()),
                    svc.priority().wireName(),
                    svc.dependsOn(),
                    s.overrides().get(svc.name())));
        }
        List<GateView> gates = new ArrayList<>();
        for (Gate g : plan.document().gates()) {
            if (g.kind() == GateKind.MANUAL_APPROVAL) {
                String target = g.beforeStage();
                boolean approved = target != null && s.approvedStages().contains(target);
                gates.add(new GateView(
                        g.name(),
                        g.kind().wireName(),
                        approved ? "approved" : "awaiting-approval",
                        0,
                        0,
                        null,
                        target));
                continue;
            }
            RunState.GateTrack t = s.gates().getOrDefault(g.name(), RunState.GateTrack.FRESH);
            gates.add(new GateView(
                    g.name(),
                    g.kind().wireName(),
                    Ramp.gateState(plan.healthGate(g.name()), t),
                    t.greenStreak(),
                    t.redStreak(),
                    t.last(),
                    g.beforeStage()));
        }
        return new RunView(
                r.id(),
                r.planName(),
                r.planVersion(),
                s.status().wireName(),
                s.pauseReason(),
                stageView,
                ceilingView(plan, s),
                s.totalAllocationPerSecond(),
                services,
                gates,
                s.unknownSince(),
                r.startedBy(),
                r.createdAt(),
                r.updatedAt(),
                r.lastTickAt(),
                r.version(),
                audit.latestOfRun(r.id(), TIMELINE_IN_STATUS));
    }
}
