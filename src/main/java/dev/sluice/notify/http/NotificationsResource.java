package dev.sluice.notify.http;

import dev.sluice.api.ProblemException;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import dev.sluice.notify.Notice;
import dev.sluice.notify.Notices;
import dev.sluice.notify.SubscriptionSpec;
import dev.sluice.notify.delivery.WebhookSender;
import dev.sluice.notify.store.Deliveries;
import dev.sluice.notify.store.NotifySettings;
import dev.sluice.notify.store.Outbox;
import dev.sluice.notify.store.Subscriptions;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/notifications}: subscriptions (admins manage, viewers read) and dead letters
 * (viewers list, admins redeliver).
 */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
@RolesAllowed(Role.VIEWER_NAME)
public class NotificationsResource {
    @Inject
    Subscriptions subscriptions;

    @Inject
    Deliveries deliveries;

    @Inject
    WebhookSender sender;

    @Inject
    NotifySettings settings;

    @Inject
    SecurityIdentity caller;

    @Inject
    Clock clock;

    public record CreateRequest(String url, List<String> events, String plan, String format) {}

    public record ReasonRequest(String reason) {}

    /** What the receiver answered to the test action. */
    public record TestResult(
            String eventId, boolean delivered, Integer status, String error, String answer, long millis) {}

    @POST
    @Path("subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(
            summary = "Subscribe a URL to events",
            description = "The answer holds the signing secret; it is not shown again")
    public Response create(CreateRequest request) {
        if (request == null) {
            throw DomainException.invalidField("", "required", "send {\"url\", \"events\", \"plan\", \"format\"}");
        }
        SubscriptionSpec spec = SubscriptionSpec.of(request.url(), request.events(), request.plan(), request.format());
        Subscriptions.WithSecret created = subscriptions.create(spec, actor());
        return Response.created(URI.create("/api/v1/notifications/subscriptions/"
                        + created.subscription().id()))
                // The record, not a Map.of: its fields keep one order (subscription, then secret) in
                // every answer, where Map.of's iteration order changes from one JVM to the next.
                .entity(created)
                .build();
    }

    @GET
    @Path("subscriptions")
    @Operation(
            summary = "List subscriptions (never their secrets)",
            description = "Admins see each whole URL; other callers its origin and /… for the rest")
    public List<Subscriptions.View> list() {
        return subscriptions.list().stream().map(this::asCallerMaySee).toList();
    }

    @GET
    @Path("subscriptions/{id}")
    @Operation(
            summary = "Read a subscription (never its secret)",
            description = "Admins see the whole URL; other callers its origin and /… for the rest")
    public Subscriptions.View get(@PathParam("id") String id) {
        return asCallerMaySee(subscriptions.get(id));
    }

    /** A webhook URL's path can be its credential (Slack's are): only admins, who set it, see it. */
    private Subscriptions.View asCallerMaySee(Subscriptions.View view) {
        return caller.hasRole(Role.ADMIN_NAME) ? view : view.redacted();
    }

    @DELETE
    @Path("subscriptions/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a subscription and its pending deliveries")
    public Response delete(@PathParam("id") String id, @QueryParam("reason") String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalidParameter("reason", "required", "say why the subscription is deleted");
        }
        subscriptions.delete(id, actor(), reason);
        return Response.noContent().build();
    }

    @POST
    @Path("subscriptions/{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(
            summary = "Rotate the signing secret",
            description = "The answer holds the new secret; the old one keeps signing too until"
                    + " subscription.previousSecretValidUntil")
    public Subscriptions.WithSecret rotate(@PathParam("id") String id, ReasonRequest request) {
        return subscriptions.rotate(id, actor(), reason(request));
    }

    @POST
    @Path("subscriptions/{id}/test")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(
            summary = "Send a signed sample event",
            description = "Answers what the receiver answered (status, the start of its body) or why it did not")
    public TestResult test(@PathParam("id") String id) {
        subscriptions.get(id);
        Subscriptions.Target target = subscriptions
                .target(id, clock.instant())
                .orElseThrow(() -> DomainException.notFound("no subscription " + id));
        Notice sample = Notices.sample(Outbox.newId(), actor(), clock.instant());
        WebhookSender.Outcome outcome =
                sender.send(target, sample, true).toCompletableFuture().join();
        return new TestResult(
                sample.id(),
                outcome.delivered(),
                outcome.status(),
                outcome.error(),
                outcome.answer(),
                outcome.millis());
    }

    @GET
    @Path("dead-letters")
    @Operation(summary = "Events past their deadline, with the last error, newest first")
    public List<Deliveries.DeadLetter> deadLetters(
            @QueryParam("subscription") String subscription, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            throw ProblemException.invalidParameter("limit", "range", "limit is 1 to 500");
        }
        return deliveries.deadLetters(subscription, n);
    }

    @POST
    @Path("dead-letters/{id}/redeliver")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(
            summary = "Deliver a dead letter again",
            description = "Due at once, with a fresh deadline and the same webhook-id")
    public Response redeliver(@PathParam("id") String id, ReasonRequest request) {
        long delivery;
        try {
            delivery = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw DomainException.notFound("no dead letter " + id);
        }
        deliveries.redeliver(delivery, actor(), reason(request), clock.instant(), settings.deadline());
        return Response.accepted().build();
    }

    private static String reason(ReasonRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw DomainException.invalidField("/reason", "required", "say why");
        }
        return request.reason();
    }

    private String actor() {
        return caller.getPrincipal().getName();
    }
}
