package dev.sluice.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemTypes;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Json;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.PlanParseException;
import dev.sluice.plan.PlanTooLargeException;
import dev.sluice.plan.RestorationOrder;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.SpecDiff;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.Violation;
import dev.sluice.plan.store.PlanStore;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's plan pages: the list, one plan as stored (YAML) with its waves, and validation of
 * an edited document with each violation shown at its pointer. Validation reads and compiles the
 * document exactly as {@code POST /api/v1/plans/validate} does and stores nothing.
 */
@Path("/console/plans")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsolePlans {
    static final int PLANS_SHOWN = 200;
    private static final YAMLMapper YAML = new YAMLMapper();

    @Inject
    ConsoleAuth auth;

    @Inject
    PlanStore plans;

    @Inject
    ConsoleRefusals refusals;

    @Inject
    @Location("console/plans")
    Template list;

    @Inject
    @Location("console/plan")
    Template plan;

    @Inject
    @Location("console/plan-diff")
    Template diffPage;

    @Operation(hidden = true)
    @GET
    public String list(@Context HttpHeaders headers) {
        ConsoleCaller c = auth.page(headers);
        return list.data("caller", c)
                .data("plans", plans.list(null, PLANS_SHOWN).items())
                .render();
    }

    @Operation(hidden = true)
    @GET
    @Path("{name}")
    public String show(
            @Context HttpHeaders headers, @PathParam("name") String name, @QueryParam("saved") Integer saved) {
        ConsoleCaller c = auth.page(headers);
        StoredPlan p = plans.get(name);
        String document = yaml(p.spec());
        return page(c, p, document, null, List.of(), null).data("saved", saved).render();
    }

    /** An edited document read and compiled: the plan when valid, else what is wrong with it. */
    private record Checked(RestorePlan plan, String malformed, List<Violation> violations) {
        boolean valid() {
            return plan != null;
        }
    }

    /** Reads and compiles the edited YAML or JSON exactly as {@code POST /api/v1/plans/validate} does. */
    private static Checked check(String text) {
        PlanFormat format = text.stripLeading().startsWith("{") ? PlanFormat.JSON : PlanFormat.YAML;
        try {
            RestorePlan edited =
                    PlanCodec.readDocument(text.getBytes(StandardCharsets.UTF_8), format, RestorePlan.class, "a plan");
            PlanCompiler.Result result = PlanCompiler.compile(edited);
            if (result instanceof PlanCompiler.Invalid invalid) {
                return new Checked(null, null, invalid.violations());
            }
            return new Checked(((PlanCompiler.Compiled) result).plan().document(), null, List.of());
        } catch (PlanParseException e) {
            String where = e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : "";
            return new Checked(
                    null,
                    "the " + format.name() + " document could not be read" + where
                            + (e.pointer().isEmpty() ? "" : " (" + e.pointer() + ")") + ": " + e.getMessage(),
                    List.of());
        } catch (PlanTooLargeException e) {
            return new Checked(null, e.getMessage(), List.of());
        }
    }

    @Operation(hidden = true)
    @POST
    @Path("{name}/validate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response validate(
            @Context HttpHeaders headers,
            @PathParam("name") String name,
            @FormParam("csrf") String csrf,
            @FormParam("document") String document) {
        ConsoleCaller c = auth.form(headers, csrf);
        StoredPlan p = plans.get(name);
        String text = document == null ? "" : document;
        Checked checked = check(text);
        return Response.status(checked.valid() ? 200 : 400)
                .entity(page(
                                c,
                                p,
                                text,
                                checked.malformed(),
                                checked.violations(),
                                checked.valid() ? "valid: nothing stored" : null)
                        .render())
                .build();
    }

    /**
     * Stores an edited document as the plan's next version (admin), as {@code PUT /api/v1/plans/NAME}
     * does: validated first, every violation at its pointer, the name unchanged, and only over the
     * version the editor read ({@code version}), so a concurrent change is never overwritten. Nothing
     * is stored unless all of it is valid.
     */
    @Operation(hidden = true)
    @POST
    @Path("{name}/save")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @Context HttpHeaders headers,
            @PathParam("name") String name,
            @FormParam("csrf") String csrf,
            @FormParam("document") String document,
            @FormParam("version") Integer version) {
        ConsoleCaller c = auth.form(headers, csrf);
        if (!c.mayEditPlans()) {
            throw new ConsoleRefusal(
                    403,
                    "token " + c.name() + " (" + c.roles() + ") may not change plans",
                    "storing a plan needs a token with the admin role");
        }
        StoredPlan p = plans.get(name);
        String text = document == null ? "" : document;
        Checked checked = check(text);
        List<Violation> violations = checked.violations();
        if (checked.valid() && !name.equals(checked.plan().name())) {
            violations = List.of(new Violation(
                    "/name",
                    "matches-path",
                    "must equal the plan name in the path (\"" + name + "\"); plans cannot be renamed"));
        }
        if (!checked.valid() || !violations.isEmpty()) {
            return Response.status(400)
                    .entity(page(c, p, text, checked.malformed(), violations, null)
                            .render())
                    .build();
        }
        StoredPlan stored;
        try {
            stored = plans.update(name, version == null ? -1 : version, checked.plan(), c.name());
        } catch (DomainException refused) {
            Problem problem = ProblemTypes.problemOf(refused);
            return Response.status(problem.status())
                    .entity(page(c, p, text, null, List.of(), null)
                            .data("problem", problem)
                            .render())
                    .build();
        }
        return Response.seeOther(URI.create("/console/plans/" + name + "?saved=" + stored.version()))
                .build();
    }

    /** Two versions of a plan side by side: every changed field at its pointer, oldest first. */
    @Operation(hidden = true)
    @GET
    @Path("{name}/diff")
    public String diff(
            @Context HttpHeaders headers,
            @PathParam("name") String name,
            @QueryParam("from") Integer from,
            @QueryParam("to") Integer to) {
        ConsoleCaller c = auth.page(headers);
        StoredPlan current = plans.get(name);
        int toVersion = to == null ? current.version() : to;
        int fromVersion = from == null ? toVersion - 1 : from;
        StoredPlan before = plans.version(name, fromVersion);
        StoredPlan after = plans.version(name, toVersion);
        return diffPage.data("caller", c)
                .data("plan", current)
                .data("from", before)
                .data("to", after)
                .data("changes", SpecDiff.between(before.spec(), after.spec()))
                .data("versions", plans.versions(name))
                .render();
    }

    private io.quarkus.qute.TemplateInstance page(
            ConsoleCaller c, StoredPlan p, String document, String malformed, List<Violation> violations, String ok) {
        return plan.data("caller", c)
                .data("plan", p)
                .data("waves", RestorationOrder.of(p.spec()).waves())
                .data("document", document)
                .data("malformed", malformed)
                .data("violations", violations)
                .data("ok", ok)
                .data("problem", null)
                .data("saved", null)
                .data("versions", plans.versions(p.name()));
    }

    static String yaml(RestorePlan spec) {
        try {
            return YAML.writeValueAsString(Json.tree(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored plan always serializes", e);
        }
    }

    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response refusedRead(DomainException e) {
        Problem problem = ProblemTypes.problemOf(e);
        return refusals.page(problem.status(), problem.detail(), "go back to the plans");
    }
}
