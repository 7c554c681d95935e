package dev.sluice.console.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemTypes;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.console.ConsoleAction;
import dev.sluice.console.Preview;
import dev.sluice.console.RunDigest;
import dev.sluice.console.RunFacts;
import dev.sluice.control.ActionRequests;
import dev.sluice.control.run.Leadership;
import dev.sluice.control.run.RunCommands;
import dev.sluice.control.run.RunHistory;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.DomainException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's run pages: the overview, a run's detail with its live part, and the actions. An
 * action is previewed (the same operator action applied to the state shown, nothing committed),
 * confirmed with a reason, and committed through {@link RunCommands} exactly as the REST API does,
 * with the session token's name as the actor.
 */
@Path("/console")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleRuns {
    static final int RUNS_SHOWN = 100;
    static final int TIMELINE_SHOWN = 50;

    @Inject
    ConsoleAuth auth;

    @Inject
    RunStore runs;

    @Inject
    RunCommands commands;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    ConsoleRefusals refusals;

    @Inject
    RunHistory history;

    @Inject
    Leadership leadership;

    @Inject
    LiveRunSignals signals;

    @Inject
    @Location("console/overview")
    Template overview;

    @Inject
    @Location("console/overview-live")
    Template overviewLive;

    @Inject
    @Location("console/run")
    Template run;

    @Inject
    @Location("console/run-live")
    Template runLive;

    @Inject
    @Location("console/confirm")
    Template confirm;

    @Operation(hidden = true)
    @GET
    public String overview(@Context HttpHeaders headers) {
        ConsoleCaller c = auth.page(headers);
        return withReadAt(overview.data("caller", c).data("rows", rows()).data("leader", leader()))
                .render();
    }

    @Operation(hidden = true)
    @GET
    @Path("live/overview")
    public String overviewLive(@Context HttpHeaders headers) {
        auth.fragment(headers);
        return withReadAt(overviewLive.data("rows", rows())).render();
    }

    @Operation(hidden = true)
    @GET
    @Path("runs/{id}")
    public String run(@Context HttpHeaders headers, @PathParam("id") String id, @QueryParam("done") String done) {
        ConsoleCaller c = auth.page(headers);
        RunDigest.Detail d = detail(runs.get(id));
        return run.data("caller", c)
                .data("d", d)
                .data("actions", ConsoleAction.RUN_ACTIONS)
                .data("leader", leader())
                .data(
                        "done",
                        done == null
                                ? null
                                : ConsoleAction.of(done)
                                        .map(ConsoleAction::label)
                                        .orElse(null))
                .render();
    }

    @Operation(hidden = true)
    @GET
    @Path("live/runs/{id}")
    public String runLive(@Context HttpHeaders headers, @PathParam("id") String id) {
        auth.fragment(headers);
        return runLive.data("d", detail(runs.get(id))).render();
    }

    /**
     * The run's changes as Server-Sent Events, each its new version; the page then fetches {@link
     * #runLive}. Polling that fragment stays the fallback where the stream cannot be held open.
     */
    @Operation(hidden = true)
    @GET
    @Path("live/runs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @org.jboss.resteasy.reactive.RestStreamElementType(MediaType.TEXT_PLAIN)
    @io.smallrye.common.annotation.Blocking
    public io.smallrye.mutiny.Multi<String> runEvents(@Context HttpHeaders headers, @PathParam("id") String id) {
        auth.fragment(headers);
        return signals.of(id, runs.get(id).version());
    }

    @Operation(hidden = true)
    @POST
    @Path("runs/{id}/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(
            @Context HttpHeaders headers,
            @PathParam("id") String id,
            @FormParam("csrf") String csrf,
            @FormParam("action") String actionName,
            @FormParam("reason") String reason,
            @FormParam("service") String service,
            @FormParam("ratePerSecond") String rate,
            @FormParam("durationSeconds") String duration) {
        ConsoleCaller c = operator(headers, csrf);
        ConsoleAction action = action(actionName);
        ConsoleAction.Target target = target(action, service, rate, duration, c);
        StoredRun r = runs.get(id);
        String reasonError = reasonError(reason);
        Preview p = Preview.of(action, r.plan(), r.state(), clock.instant(), target);
        return Response.status(reasonError == null && p.refusedField() == null ? 200 : 400)
                .entity(confirmPage(c, r, p, reason, reasonError, null).render())
                .build();
    }

    @Operation(hidden = true)
    @POST
    @Path("runs/{id}/act")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @Context HttpHeaders headers,
            @PathParam("id") String id,
            @FormParam("csrf") String csrf,
            @FormParam("action") String actionName,
            @FormParam("reason") String reason,
            @FormParam("service") String service,
            @FormParam("ratePerSecond") String rate,
            @FormParam("durationSeconds") String duration) {
        ConsoleCaller c = operator(headers, csrf);
        ConsoleAction action = action(actionName);
        ConsoleAction.Target target = target(action, service, rate, duration, c);
        String reasonError = reasonError(reason);
        if (reasonError != null) {
            StoredRun r = runs.get(id);
            return Response.status(400)
                    .entity(confirmPage(
                                    c,
                                    r,
                                    Preview.of(action, r.plan(), r.state(), clock.instant(), target),
                                    reason,
                                    reasonError,
                                    null)
                            .render())
                    .build();
        }
        try {
            commands.act(
                    id,
                    null,
                    c.name(),
                    reason,
                    ctx -> action.apply(ctx.plan(), ctx.state(), reason, ctx.now(), target));
        } catch (DomainException refused) {
            Problem problem = ProblemTypes.problemOf(refused);
            StoredRun r = runs.get(id);
            return Response.status(problem.status())
                    .entity(confirmPage(
                                    c,
                                    r,
                                    Preview.of(action, r.plan(), r.state(), clock.instant(), target),
                                    reason,
                                    null,
                                    problem)
                            .render())
                    .build();
        }
        return Response.seeOther(URI.create("/console/runs/" + id + "?done=" + action.wireName()))
                .build();
    }

    /** An override's form fields; a number that does not parse is missing, which its rule refuses by name. */
    private static ConsoleAction.Target target(
            ConsoleAction action, String service, String rate, String duration, ConsoleCaller c) {
        if (!action.onService()) {
            return ConsoleAction.Target.NONE;
        }
        Double ratePerSecond = null;
        Long durationSeconds = null;
        try {
            ratePerSecond = rate == null || rate.isBlank() ? null : Double.valueOf(rate.trim());
        } catch (NumberFormatException notANumber) {
            // left null: "must be a finite number, 0 or more"
        }
        try {
            durationSeconds = duration == null || duration.isBlank() ? null : Long.valueOf(duration.trim());
        } catch (NumberFormatException notANumber) {
            // left null: "must be between 1 and 86400"
        }
        return new ConsoleAction.Target(service, ratePerSecond, durationSeconds, c.name());
    }

    private ConsoleCaller operator(HttpHeaders headers, String csrf) {
        ConsoleCaller c = auth.form(headers, csrf);
        if (!c.mayAct()) {
            throw new ConsoleRefusal(
                    403,
                    "token " + c.name() + " (" + c.roles() + ") may not act on runs",
                    "actions need a token with the operator role");
        }
        return c;
    }

    private static ConsoleAction action(String name) {
        return ConsoleAction.of(name == null ? "" : name)
                .orElseThrow(
                        () -> new ConsoleRefusal(400, "no such action \"" + name + "\"", "use the page's buttons"));
    }

    /** The same rule the REST API applies to a reason, as a message next to the field. */
    private static String reasonError(String reason) {
        try {
            ActionRequests.checkReason(reason);
            return null;
        } catch (DomainException e) {
            return e.getMessage();
        }
    }

    private TemplateInstance confirmPage(
            ConsoleCaller c, StoredRun r, Preview p, String reason, String reasonError, Problem problem) {
        return confirm.data("caller", c)
                .data("d", detail(r))
                .data("preview", p)
                .data("reason", reason == null ? "" : reason)
                .data("reasonError", reasonError)
                .data("problem", problem);
    }

    private TemplateInstance withReadAt(TemplateInstance t) {
        return t.data("now", clock.instant());
    }

    private List<RunDigest.Row> rows() {
        Instant now = clock.instant();
        return RunDigest.overview(
                runs.list(null, RUNS_SHOWN).stream().map(ConsoleRuns::facts).toList(), now);
    }

    private RunDigest.Detail detail(StoredRun r) {
        return RunDigest.detail(
                facts(r), audit.latestOfRun(r.id(), TIMELINE_SHOWN), history.of(r.id()), clock.instant());
    }

    /** Which replica leads the control loop, in words. */
    String leader() {
        return leadership
                .leader()
                .map(name -> name + (leadership.thisReplicaLeads() ? " (this replica)" : ""))
                .orElse("no replica leads the control loop now");
    }

    static RunFacts facts(StoredRun r) {
        return new RunFacts(r.id(), r.planName(), r.plan(), r.state(), r.lastTickAt(), r.version());
    }

    /** A refusal of a page's read (an unknown run) as a page, not the API's problem+json. */
    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response refusedRead(DomainException e) {
        Problem problem = ProblemTypes.problemOf(e);
        return refusals.page(problem.status(), problem.detail(), "go back to the runs overview");
    }
}
