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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
    public String show(@Context HttpHeaders headers, @PathParam("name") String name) {
        ConsoleCaller c = auth.page(headers);
        StoredPlan p = plans.get(name);
        String document = yaml(p.spec());
        return page(c, p, document, null, List.of(), null).render();
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
        PlanFormat format = text.stripLeading().startsWith("{") ? PlanFormat.JSON : PlanFormat.YAML;
        List<Violation> violations;
        String malformed = null;
        try {
            RestorePlan edited =
                    PlanCodec.readDocument(text.getBytes(StandardCharsets.UTF_8), format, RestorePlan.class, "a plan");
            violations = PlanCompiler.compile(edited) instanceof PlanCompiler.Invalid invalid
                    ? invalid.violations()
                    : List.of();
        } catch (PlanParseException e) {
            String where = e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : "";
            malformed = "the " + format.name() + " document could not be read" + where
                    + (e.pointer().isEmpty() ? "" : " (" + e.pointer() + ")") + ": " + e.getMessage();
            violations = List.of();
        } catch (PlanTooLargeException e) {
            malformed = e.getMessage();
            violations = List.of();
        }
        boolean valid = malformed == null && violations.isEmpty();
        return Response.status(valid ? 200 : 400)
                .entity(page(c, p, text, malformed, violations, valid ? "valid: nothing stored" : null)
                        .render())
                .build();
    }

    private io.quarkus.qute.TemplateInstance page(
            ConsoleCaller c, StoredPlan p, String document, String malformed, List<Violation> violations, String ok) {
        return plan.data("caller", c)
                .data("plan", p)
                .data("waves", RestorationOrder.of(p.spec()).waves())
                .data("document", document)
                .data("malformed", malformed)
                .data("violations", violations)
                .data("ok", ok);
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
