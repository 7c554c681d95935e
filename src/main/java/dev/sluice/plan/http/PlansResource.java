package dev.sluice.plan.http;

import dev.sluice.api.ETags;
import dev.sluice.api.Page;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.domain.Role;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.RestorationOrder;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.Violation;
import dev.sluice.plan.store.PlanStore;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/plans}: create, read, update, delete, validate and explain restore plans. */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plans")
@RolesAllowed(Role.VIEWER_NAME)
public class PlansResource {
    static final String YAML = "application/yaml";

    @Inject
    PlanStore store;

    @Context
    UriInfo uriInfo;

    @Inject
    SecurityIdentity caller;

    /** What the API shows of a stored plan. */
    public record PlanView(String name, int version, Instant createdAt, Instant updatedAt, RestorePlan spec) {
        static PlanView of(StoredPlan p) {
            return new PlanView(p.name(), p.version(), p.createdAt(), p.updatedAt(), p.spec());
        }
    }

    /** One line of the plan listing. */
    public record PlanSummary(String name, int version, String tier, int services, int stages, Instant updatedAt) {
        static PlanSummary of(StoredPlan p) {
            return new PlanSummary(
                    p.name(),
                    p.version(),
                    p.spec().tier().name(),
                    p.spec().services().size(),
                    p.spec().stages().size(),
                    p.updatedAt());
        }
    }

    /** The answer of {@code /validate}: the violations, or the restoration order of a valid plan. */
    public record ValidationReport(boolean valid, List<Violation> violations, RestorationOrder order) {}

    public record OrderView(String plan, int version, List<RestorationOrder.Wave> waves) {}

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Create a plan", description = "JSON or YAML body; 201 with Location and ETag")
    public Response create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        RestorePlan plan = readValid(contentType, body);
        StoredPlan stored = store.create(plan, actor());
        URI location = UriBuilder.fromUri(uriInfo.getBaseUri())
                .path("api/v1/plans")
                .path(stored.name())
                .build();
        return Response.created(location)
                .tag(etag(stored))
                .entity(PlanView.of(stored))
                .build();
    }

    @GET
    @Operation(summary = "List plans, by name, a page at a time")
    public Response list(@QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        Page<StoredPlan> page = store.list(after, Page.limit(limit));
        Response.ResponseBuilder response = Response.ok(
                new Page<>(page.items().stream().map(PlanSummary::of).toList(), page.next()));
        if (page.next() != null) {
            URI next = uriInfo.getRequestUriBuilder()
                    .replaceQueryParam("after", page.next())
                    .build();
            response.link(next, "next");
        }
        return response.build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Read a plan; the ETag is its version")
    public Response get(@PathParam("name") String name) {
        StoredPlan stored = store.get(name);
        return Response.ok(PlanView.of(stored)).tag(etag(stored)).build();
    }

    @PUT
    @RolesAllowed(Role.ADMIN_NAME)
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Replace a plan", description = "Requires If-Match with the ETag read; 412 when stale")
    public Response update(
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(Problem.of(
                    428,
                    "precondition-required",
                    "Precondition required",
                    "updating a plan needs If-Match with the ETag of the version you read, so that"
                            + " a concurrent change is never overwritten"));
        }
        int expected = ETags.ifMatch(ifMatch, "a plan version");
        RestorePlan plan = readValid(contentType, body);
        if (!name.equals(plan.name())) {
            throw invalid(List.of(new Violation(
                    "/name",
                    "matches-path",
                    "must equal the plan name in the path (\"" + name + "\"); plans cannot be renamed")));
        }
        StoredPlan stored = store.update(name, expected, plan, actor());
        return Response.ok(PlanView.of(stored)).tag(etag(stored)).build();
    }

    @DELETE
    @RolesAllowed(Role.ADMIN_NAME)
    @Path("{name}")
    @Operation(summary = "Delete a plan and its history", description = "409 while a run of it is active")
    public Response delete(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        store.delete(name, ETags.ifMatch(ifMatch, "a plan version"), actor());
        return Response.noContent().build();
    }

    @POST
    @Path("validate")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(
            summary = "Validate a plan without storing it",
            description = "200 with every violation, or with the restoration order when valid")
    public ValidationReport validate(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        PlanCompiler.Result result = PlanCompiler.compile(read(contentType, body));
        if (result instanceof PlanCompiler.Invalid invalid) {
            return new ValidationReport(false, invalid.violations(), null);
        }
        return new ValidationReport(
                true,
                List.of(),
                RestorationOrder.of(((PlanCompiler.Compiled) result).plan().document()));
    }

    @GET
    @Path("{name}/order")
    @Operation(summary = "The restoration order of a stored plan: waves, and what each service waits on")
    public OrderView order(@PathParam("name") String name) {
        StoredPlan stored = store.get(name);
        return new OrderView(
                stored.name(),
                stored.version(),
                RestorationOrder.of(stored.spec()).waves());
    }

    @GET
    @Path("{name}/versions")
    @Operation(summary = "Every stored version of a plan, oldest first")
    public List<PlanView> versions(@PathParam("name") String name) {
        return store.versions(name).stream().map(PlanView::of).toList();
    }

    @GET
    @Path("{name}/versions/{version}")
    @Operation(summary = "One stored version of a plan")
    public PlanView version(@PathParam("name") String name, @PathParam("version") String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidParameter(
                    "version", "integer", "must be a whole number, got \"" + version + "\"");
        }
        return PlanView.of(store.version(name, number));
    }

    private String actor() {
        return caller.getPrincipal().getName();
    }

    private static RestorePlan readValid(String contentType, InputStream body) {
        PlanCompiler.Result result = PlanCompiler.compile(read(contentType, body));
        if (result instanceof PlanCompiler.Invalid invalid) {
            throw invalid(invalid.violations());
        }
        return ((PlanCompiler.Compiled) result).plan().document();
    }

    private static RestorePlan read(String contentType, InputStream body) {
        return DocumentProblems.read(contentType, body, RestorePlan.class, "plan");
    }

    private static ProblemException invalid(List<Violation> violations) {
        return DocumentProblems.invalid("plan", violations);
    }

    private static jakarta.ws.rs.core.EntityTag etag(StoredPlan plan) {
        return new jakarta.ws.rs.core.EntityTag(Integer.toString(plan.version()));
    }
}
