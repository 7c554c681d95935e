package dev.sluice.audit.http;

import dev.sluice.api.Page;
import dev.sluice.api.ProblemException;
import dev.sluice.audit.AuditFilter;
import dev.sluice.audit.store.AuditAnnotations;
import dev.sluice.audit.store.AuditChain;
import dev.sluice.audit.store.AuditReview;
import dev.sluice.domain.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/audit}: review the audit log, export it, verify its hash chain, annotate events. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@RolesAllowed(Role.VIEWER_NAME)
public class AuditResource {

    @Inject
    AuditReview review;

    @Inject
    AuditChain chain;

    @Inject
    AuditAnnotations annotations;

    @Inject
    Clock clock;

    @Inject
    SecurityIdentity caller;

    public record AnnotationRequest(String text) {}

    @GET
    @Operation(
            summary = "Audit events, filtered, a page at a time",
            description = "Filters: plan, run, actor, action, since, until (ISO-8601), q (text in the reason);"
                    + " order newest (default) or oldest; pass next as after for the following page")
    public AuditReview.Page list(
            @QueryParam("plan") String plan,
            @QueryParam("run") String run,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("q") String text,
            @QueryParam("order") String order,
            @QueryParam("after") Long after,
            @QueryParam("limit") Integer limit) {
        return review.page(filter(plan, run, actor, action, since, until, text, order, after), Page.limit(limit));
    }

    @GET
    @Path("export")
    @Produces({"application/x-ndjson", "text/csv"})
    @Operation(summary = "Export matching events as NDJSON (default) or CSV, streamed")
    public Response export(
            @QueryParam("format") String format,
            @QueryParam("plan") String plan,
            @QueryParam("run") String run,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("q") String text,
            @QueryParam("order") String order) {
        boolean csv = "csv".equals(format);
        if (format != null && !csv && !"ndjson".equals(format)) {
            throw ProblemException.invalidParameter("format", "one-of", "must be ndjson or csv");
        }
        AuditFilter filter =
                filter(plan, run, actor, action, since, until, text, order == null ? "oldest" : order, null);
        return AuditExport.download(review, filter, csv);
    }

    @GET
    @Path("verify")
    @Operation(summary = "Walk the hash chain (optionally an id range) and report the first broken link")
    public AuditChain.Verification verify(@QueryParam("fromId") Long fromId, @QueryParam("toId") Long toId) {
        return chain.verify(fromId, toId);
    }

    @POST
    @Path("{id}/annotations")
    @RolesAllowed(Role.REVIEWER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Annotate an event",
            description = "Annotations are audit events themselves: append-only," + " attributed, chained")
    public Response annotate(@PathParam("id") long id, AnnotationRequest request) {
        return Response.status(201)
                .entity(annotations.annotate(
                        id, caller.getPrincipal().getName(), request == null ? null : request.text(), clock.instant()))
                .build();
    }

    private static AuditFilter filter(
            String plan,
            String run,
            String actor,
            String action,
            String since,
            String until,
            String text,
            String order,
            Long after) {
        boolean newestFirst;
        if (order == null || order.equals("newest")) {
            newestFirst = true;
        } else if (order.equals("oldest")) {
            newestFirst = false;
        } else {
            throw ProblemException.invalidParameter("order", "one-of", "must be newest or oldest");
        }
        return new AuditFilter(
                plan, run, actor, action, instant("since", since), instant("until", until), text, after, newestFirst);
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidParameter(
                    parameter, "instant", "must be an ISO-8601 instant such as 2026-11-27T20:31:00Z, got " + value);
        }
    }
}
