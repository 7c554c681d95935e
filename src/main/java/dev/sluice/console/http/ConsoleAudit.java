package dev.sluice.console.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemTypes;
import dev.sluice.audit.AuditFilter;
import dev.sluice.audit.http.AuditExport;
import dev.sluice.audit.store.AuditAnnotations;
import dev.sluice.audit.store.AuditChain;
import dev.sluice.audit.store.AuditReview;
import dev.sluice.domain.DomainException;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's audit pages: a filtered search (the API's filters, newest first, a page at a time),
 * the hash chain's verification on request, exports of the filtered events as CSV or NDJSON (the
 * API's formats, streamed; the API itself takes bearer tokens only, so the console serves them to
 * its session), and one event with its annotations, which reviewers add here through the same
 * {@link AuditAnnotations} as {@code POST /api/v1/audit/ID/annotations}.
 */
@Path("/console/audit")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleAudit {
    static final int PAGE_SIZE = 50;

    @Inject
    ConsoleAuth auth;

    @Inject
    AuditReview review;

    @Inject
    AuditChain chain;

    @Inject
    AuditAnnotations annotations;

    @Inject
    Clock clock;

    @Inject
    @Location("console/audit")
    Template search;

    @Inject
    @Location("console/audit-event")
    Template event;

    /** The search form's fields as given, and the first field that does not parse. */
    record Query(Map<String, String> fields, AuditFilter filter, String badField, String badMessage) {
        String encoded() {
            StringBuilder q = new StringBuilder();
            fields.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    q.append(q.isEmpty() ? "" : "&")
                            .append(k)
                            .append('=')
                            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            return q.toString();
        }
    }

    @Operation(hidden = true)
    @GET
    public Response search(
            @Context HttpHeaders headers,
            @QueryParam("plan") String plan,
            @QueryParam("run") String run,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("q") String text,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("after") Long after,
            @QueryParam("verify") String verify) {
        ConsoleCaller c = auth.page(headers);
        Query q = query(plan, run, actor, action, text, since, until, after, true);
        AuditReview.Page page = q.badField() == null ? review.page(q.filter(), PAGE_SIZE) : null;
        AuditChain.Verification verification = verify == null ? null : chain.verify(null, null);
        String html = search.data("caller", c)
                .data("f", q.fields())
                .data("query", q.encoded())
                .data("badField", q.badField())
                .data("badMessage", q.badMessage())
                .data("page", page)
                .data("verification", verification)
                .render();
        return Response.status(q.badField() == null ? 200 : 400).entity(html).build();
    }

    @Operation(hidden = true)
    @GET
    @Path("export")
    @Produces({"text/csv", "application/x-ndjson"})
    public Response export(
            @Context HttpHeaders headers,
            @QueryParam("format") String format,
            @QueryParam("plan") String plan,
            @QueryParam("run") String run,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("q") String text,
            @QueryParam("since") String since,
            @QueryParam("until") String until) {
        auth.page(headers);
        boolean csv = !"ndjson".equals(format);
        Query q = query(plan, run, actor, action, text, since, until, null, false);
        if (q.badField() != null) {
            throw new ConsoleRefusal(400, q.badField() + ": " + q.badMessage(), "correct the search and export again");
        }
        return AuditExport.download(review, q.filter(), csv);
    }

    @Operation(hidden = true)
    @GET
    @Path("events/{id}")
    public String event(@Context HttpHeaders headers, @PathParam("id") long id) {
        ConsoleCaller c = auth.page(headers);
        return eventPage(c, id, "", null, null).render();
    }

    @Operation(hidden = true)
    @POST
    @Path("events/{id}/annotations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response annotate(
            @Context HttpHeaders headers,
            @PathParam("id") long id,
            @FormParam("csrf") String csrf,
            @FormParam("text") String text) {
        ConsoleCaller c = auth.form(headers, csrf);
        if (!c.mayAnnotate()) {
            throw new ConsoleRefusal(
                    403,
                    "token " + c.name() + " (" + c.roles() + ") may not annotate audit events",
                    "annotations need a token with the reviewer role");
        }
        try {
            annotations.annotate(id, c.name(), text, clock.instant());
        } catch (DomainException refused) {
            Problem problem = ProblemTypes.problemOf(refused);
            String fieldError = "/text".equals(refused.pointer()) ? refused.getMessage() : null;
            return Response.status(problem.status())
                    .entity(eventPage(c, id, text == null ? "" : text, fieldError, fieldError == null ? problem : null)
                            .render())
                    .build();
        }
        return Response.seeOther(URI.create("/console/audit/events/" + id + "?annotated=1"))
                .build();
    }

    private io.quarkus.qute.TemplateInstance eventPage(
            ConsoleCaller c, long id, String text, String textError, Problem problem) {
        AuditReview.ReviewedEvent e = annotations
                .event(id)
                .orElseThrow(() -> new ConsoleRefusal(404, "no audit event " + id, "go back to the audit search"));
        return event.data("caller", c)
                .data("e", e)
                .data("annotations", annotations.of(e))
                .data("text", text)
                .data("textError", textError)
                .data("problem", problem);
    }

    private static Query query(
            String plan,
            String run,
            String actor,
            String action,
            String text,
            String since,
            String until,
            Long after,
            boolean newestFirst) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("plan", blankToNull(plan));
        fields.put("run", blankToNull(run));
        fields.put("actor", blankToNull(actor));
        fields.put("action", blankToNull(action));
        fields.put("q", blankToNull(text));
        fields.put("since", blankToNull(since));
        fields.put("until", blankToNull(until));
        Instant sinceAt;
        Instant untilAt;
        try {
            sinceAt = instant(fields.get("since"));
        } catch (DateTimeParseException e) {
            return new Query(fields, null, "since", "must be an instant like 2026-12-01T10:00:00Z");
        }
        try {
            untilAt = instant(fields.get("until"));
        } catch (DateTimeParseException e) {
            return new Query(fields, null, "until", "must be an instant like 2026-12-01T10:00:00Z");
        }
        AuditFilter filter = new AuditFilter(
                fields.get("plan"),
                fields.get("run"),
                fields.get("actor"),
                fields.get("action"),
                sinceAt,
                untilAt,
                fields.get("q"),
                after,
                newestFirst);
        return new Query(fields, filter, null, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
