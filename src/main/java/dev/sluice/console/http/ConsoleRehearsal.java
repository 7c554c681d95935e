package dev.sluice.console.http;

import dev.sluice.console.Rehearsal;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.Violation;
import dev.sluice.plan.store.PlanStore;
import dev.sluice.sim.Comparison;
import dev.sluice.sim.Scenario;
import dev.sluice.sim.SvgChart;
import dev.sluice.sim.http.Rehearsals;
import dev.sluice.sim.http.SimulationLimits;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's rehearsal page: a stored plan simulated against the baselines with a few scenario
 * parameters, shown as the comparison table and the simulator's chart. The same scenario rules and
 * bounds as {@code POST /api/v1/plans/NAME/simulate} ({@link Scenario#build}: horizon at most 6 h,
 * at most 20 million service-steps per strategy), one simulation at a time in the process
 * ({@link Rehearsals}), operators only; nothing is stored.
 */
@Path("/console/plans/{name}/rehearse")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleRehearsal {
    @Inject
    ConsoleAuth auth;

    @Inject
    PlanStore plans;

    @Inject
    Rehearsals rehearsals;

    @Inject
    SimulationLimits limits;

    @Inject
    @Location("console/rehearse")
    Template page;

    @Operation(hidden = true)
    @GET
    public String form(@Context HttpHeaders headers, @PathParam("name") String name) {
        ConsoleCaller c = auth.page(headers);
        return page(c, plans.get(name), Map.of(), List.of(), null).render();
    }

    @Operation(hidden = true)
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rehearse(
            @Context HttpHeaders headers, @PathParam("name") String name, MultivaluedMap<String, String> posted) {
        ConsoleCaller c = auth.form(headers, posted.getFirst("csrf"));
        if (!c.mayAct()) {
            throw new ConsoleRefusal(
                    403,
                    "token " + c.name() + " (" + c.roles() + ") may not rehearse plans",
                    "a rehearsal takes seconds of CPU: it needs a token with the operator role");
        }
        StoredPlan p = plans.get(name);
        Map<String, String> form = new HashMap<>();
        for (String field : Rehearsal.FIELDS.keySet()) {
            String v = posted.getFirst(field);
            if (v != null) {
                form.put(field, v.length() > 100 ? v.substring(0, 100) : v);
            }
        }
        Rehearsal.Parsed parsed = Rehearsal.parse(form);
        if (!parsed.violations().isEmpty()) {
            return Response.status(400)
                    .entity(page(c, p, form, parsed.violations(), null).render())
                    .build();
        }
        Scenario scenario;
        try {
            scenario = Scenario.build(
                    parsed.spec(), p.spec(), limits.memoryBudget().asLongValue());
        } catch (Scenario.InvalidScenarioException e) {
            return Response.status(400)
                    .entity(page(c, p, form, e.violations(), null).render())
                    .build();
        }
        Comparison comparison = rehearsals
                .runAlone(scenario)
                .orElseThrow(
                        () -> new ConsoleRefusal(429, "another simulation is running", "try again in a few seconds"));
        return Response.ok(page(c, p, form, List.of(), comparison).render()).build();
    }

    private TemplateInstance page(
            ConsoleCaller c, StoredPlan p, Map<String, String> form, List<Violation> violations, Comparison result) {
        Map<String, String> errors = new HashMap<>();
        Rehearsal.FIELDS.forEach((field, pointer) -> violations.stream()
                .filter(v -> v.pointer().equals(pointer))
                .findFirst()
                .ifPresent(v -> errors.put(field, v.message())));
        return page.data("caller", c)
                .data("plan", p)
                .data("form", form)
                .data("errors", errors)
                .data("violations", violations)
                .data("lines", result == null ? null : Rehearsal.lines(result))
                .data("targets", result == null ? null : result.targets())
                .data("stages", result == null ? null : result.sluiceStages())
                .data("chart", result == null ? null : SvgChart.render(result));
    }
}
