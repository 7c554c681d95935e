package dev.sluice.sim.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.domain.Role;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.http.DocumentProblems;
import dev.sluice.plan.store.PlanStore;
import dev.sluice.sim.Comparison;
import dev.sluice.sim.Scenario;
import dev.sluice.sim.ScenarioSpec;
import dev.sluice.sim.SimulationResult;
import dev.sluice.sim.SvgChart;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A dry run of a stored plan: the scenario in the body (every field optional, as in a scenario
 * file but without {@code plan} and {@code grid}) is simulated through Sluice and the baselines.
 * JSON by default: the comparison, Sluice's stages and second-by-second timeline; the chart with
 * {@code Accept: image/svg+xml}. Changes nothing. One simulation runs at a time: it is seconds of
 * CPU, and a second caller is told to come back.
 */
@Path("/api/v1/plans/{name}/simulate")
@RolesAllowed(Role.OPERATOR_NAME)
public class SimulationResource {
    static final String SVG = "image/svg+xml";

    @Inject
    PlanStore plans;

    @Inject
    Rehearsals rehearsals;

    @Inject
    SimulationLimits limits;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, SVG})
    @Operation(summary = "Rehearse a plan: simulate its restoration against the baselines (changes nothing)")
    public Response simulate(
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            InputStream body) {
        StoredPlan stored = plans.get(name); // 404 problem when unknown
        ScenarioSpec spec = read(contentType, body);
        if (spec.plan() != null) {
            throw ProblemException.invalidField(
                    "/plan", "not-allowed", "the plan simulated is the one in the path (" + name + "); leave plan out");
        }
        if (spec.grid() != null) {
            throw ProblemException.invalidField(
                    "/grid",
                    "not-allowed",
                    "grids run from the command line (sluice simulate FILE), one scenario per request here");
        }
        Scenario scenario;
        try {
            scenario = Scenario.build(spec, stored.spec(), limits.memoryBudget().asLongValue());
        } catch (Scenario.InvalidScenarioException e) {
            throw DocumentProblems.invalid("scenario", e.violations());
        }
        Comparison comparison = rehearsals
                .runAlone(scenario)
                .orElseThrow(() -> new ProblemException(
                        Problem.of(
                                429,
                                "simulation-busy",
                                "Too many requests",
                                "another simulation is running; try again in a few seconds"),
                        Map.of("Retry-After", "5")));
        if (accept != null && accept.contains(SVG) && !accept.contains(MediaType.APPLICATION_JSON)) {
            return Response.ok(SvgChart.render(comparison), SVG).build();
        }
        return Response.ok(view(stored, comparison), MediaType.APPLICATION_JSON).build();
    }

    private static Map<String, Object> view(StoredPlan stored, Comparison c) {
        Scenario s = c.scenario();
        Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("name", s.name());
        scenario.put("outageSeconds", s.outageSeconds());
        scenario.put(
                "tier",
                Map.of(
                        "healthyPerSecond",
                        s.tier().healthyPerSecond(),
                        "actualCapacityFactor",
                        s.tier().actualCapacityFactor(),
                        "startShare",
                        s.tier().startShare(),
                        "capacity",
                        s.tier().describe()));
        scenario.put("demandPerSecond", s.totalDemandPerSecond());
        scenario.put("backlog", s.totalBacklog());
        scenario.put("retry", s.clients().get(0).retry().describe());
        scenario.put("stepMillis", Math.round(s.settings().dtSeconds() * 1000));
        scenario.put("horizonSeconds", s.settings().horizonSeconds());
        scenario.put("seed", s.settings().seed());

        SimulationResult sluice = c.sluice();
        Map<String, Object> rehearsal = new LinkedHashMap<>();
        rehearsal.put("restoredSeconds", sluice.restored() ? sluice.restoredSeconds() : null);
        rehearsal.put("stages", c.sluiceStages());
        rehearsal.put(
                "timeline",
                Map.of(
                        "capacity",
                        sluice.timeline().capacity(),
                        "offered",
                        sluice.timeline().offered(),
                        "admitted",
                        sluice.timeline().admitted(),
                        "goodput",
                        sluice.timeline().goodput()));

        Map<String, Object> view = new LinkedHashMap<>();
        view.put("plan", stored.name());
        view.put("planVersion", stored.version());
        view.put("scenario", scenario);
        view.put("fluidBoundSeconds", Double.isFinite(sluice.fluidBoundSeconds()) ? sluice.fluidBoundSeconds() : null);
        view.put("strategies", c.rows());
        view.put("targets", c.targets());
        view.put("sluice", rehearsal);
        return view;
    }

    /** An empty body is the default scenario. */
    private static ScenarioSpec read(String contentType, InputStream body) {
        byte[] bytes = body == null ? new byte[0] : DocumentProblems.bytes(body);
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new ScenarioSpec(null, null, null, null, null, null, null, null, null);
        }
        return DocumentProblems.read(contentType, bytes, ScenarioSpec.class, "scenario");
    }
}
