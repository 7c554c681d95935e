package dev.sluice.admission.http;

import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.AdmissionOutcome;
import dev.sluice.admission.LeaseBook;
import dev.sluice.admission.StatedWant;
import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.control.Ramp;
import dev.sluice.domain.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What dependents call before sending work to the recovering tier: per-request permits, or rate
 * leases they enforce themselves.
 */
@Path("/api/v1/runs/{run}/services/{service}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admission")
@RolesAllowed(Role.CLIENT_NAME)
public class AdmissionResource {
    static final long MAX_PERMITS_PER_REQUEST = 1_000_000;
    static final int MAX_CLIENT_ID_CHARS = 200;
    /** The most a client may state it wants, requests/s (a bucket's own limit). */
    static final double MAX_WANT_PER_SECOND = dev.sluice.admission.RateLimit.MAX_RATE_PER_SECOND;
    /** The most requests a client may state it holds queued. */
    static final double MAX_BACKLOG = 1e12;
    /** The millisecond {@code Retry-After}, as several client SDKs read it. */
    static final String RETRY_AFTER_MS = "retry-after-ms";

    @Inject
    AdmissionRegistry admission;

    @Inject
    SecurityIdentity caller;

    /**
     * @param count permits asked for at once (default 1)
     * @param clientId a stable id of the client instance; needed to state a want
     * @param wantPerSecond the client's desired rate now, backlog replay included (optional)
     * @param backlog requests the client holds queued (optional)
     */
    public record PermitRequest(Long count, String clientId, Double wantPerSecond, Double backlog) {}

    public record Granted(long granted, long remaining, double ratePerSecond, String stage) {}

    public record LeaseRequest(String clientId, Double wantPerSecond) {}

    public record LeaseView(String clientId, double rate, long burst, Instant expiresAt, Instant refreshAfter) {}

    @POST
    @Path("permits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ask for permits to send requests to the tier",
            description = "200 when granted; 429 with a jittered Retry-After (and retry-after-ms) and the reason when"
                    + " not; both with RateLimit-Policy and RateLimit fields. A client may state its want"
                    + " (wantPerSecond, backlog) with its clientId")
    public Uni<Response> permits(
            @PathParam("run") String run, @PathParam("service") String service, PermitRequest request) {
        return answer(run, service, () -> permitsNow(run, service, request));
    }

    /**
     * Answers on the event loop when admission needs no I/O (a known run, local-share mode), and on a
     * worker thread otherwise (loading the run, exact mode's database round trip).
     */
    private <T> Uni<T> answer(String run, String service, java.util.function.Supplier<T> work) {
        java.util.function.Supplier<T> checked = () -> {
            ScopeCheck.require(caller, admission.planOf(run), service);
            return work.get();
        };
        if (admission.answersInMemory(run)) {
            return Uni.createFrom().item(checked);
        }
        return Uni.createFrom().item(checked).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response permitsNow(String run, String service, PermitRequest request) {
        long count = request == null || request.count() == null ? 1 : request.count();
        if (count < 1 || count > MAX_PERMITS_PER_REQUEST) {
            throw ProblemException.invalidField("/count", "range", "must be between 1 and " + MAX_PERMITS_PER_REQUEST);
        }
        StatedWant want = statedWant(request);
        AdmissionOutcome outcome = admission.acquire(run, service, count, want);
        String policy = RateLimitFields.policy(service, outcome.ratePerSecond(), outcome.burstTokens());
        if (outcome.granted()) {
            return Response.ok(new Granted(
                            outcome.permits(), outcome.remaining(), outcome.ratePerSecond(), outcome.stage()))
                    .header(RateLimitFields.POLICY, policy)
                    .header(
                            RateLimitFields.LIMIT,
                            RateLimitFields.limit(
                                    service,
                                    outcome.remaining(),
                                    RateLimitFields.secondsUntilFull(
                                            outcome.ratePerSecond(), outcome.burstTokens(), outcome.remaining())))
                    .build();
        }
        String detail = switch (outcome.reason()) {
            case OVER_RATE ->
                service + " is over its rate of " + Ramp.rate(outcome.ratePerSecond()) + " at stage " + outcome.stage()
                        + ("paused".equals(outcome.runStatus()) ? " (run paused: rates held)" : "");
            case BLOCKED ->
                service + " is blocked by dependency " + String.join(", ", outcome.blockedBy())
                        + ": it is admitted once they are restored";
            case NO_ALLOCATION ->
                service + " has no permit rate at stage " + outcome.stage()
                        + " yet: higher-priority services, or rate leases, hold the budget";
            case GRANTED -> throw new IllegalStateException("not a refusal");
        };
        Problem problem = Problem.of(429, "not-admitted", "Too many requests", detail)
                .with("reason", outcome.reason().wireName())
                .with("stage", outcome.stage())
                .with("runStatus", outcome.runStatus())
                .with("ratePerSecond", outcome.ratePerSecond())
                .with("retryAfterMillis", outcome.retryAfterMillis());
        if (!outcome.blockedBy().isEmpty()) {
            problem = problem.with("blockedBy", outcome.blockedBy());
        }
        throw new ProblemException(
                problem,
                Map.of(
                        "Retry-After",
                        Long.toString(outcome.retryAfterSeconds()),
                        RETRY_AFTER_MS,
                        Long.toString(outcome.retryAfterMillis()),
                        RateLimitFields.POLICY,
                        policy,
                        RateLimitFields.LIMIT,
                        RateLimitFields.limit(service, outcome.remaining(), outcome.retryAfterSeconds())));
    }

    /** The want a permit request states, validated; null when it names no client. */
    private static StatedWant statedWant(PermitRequest request) {
        if (request == null) {
            return null;
        }
        boolean states = request.wantPerSecond() != null || request.backlog() != null;
        if (request.clientId() == null && !states) {
            return null;
        }
        if (request.clientId() == null
                || request.clientId().isBlank()
                || request.clientId().length() > MAX_CLIENT_ID_CHARS) {
            throw ProblemException.invalidField(
                    "/clientId",
                    "required",
                    "a stable id of the client instance, 1 to " + MAX_CLIENT_ID_CHARS
                            + " characters; needed to state wantPerSecond or backlog");
        }
        requireRange("/wantPerSecond", request.wantPerSecond(), MAX_WANT_PER_SECOND, "the rate the client wants");
        requireRange("/backlog", request.backlog(), MAX_BACKLOG, "the requests the client holds queued");
        return new StatedWant(request.clientId(), request.wantPerSecond(), request.backlog());
    }

    private static void requireRange(String pointer, Double value, double max, String what) {
        if (value != null && !(value >= 0 && value <= max)) {
            throw ProblemException.invalidField(
                    pointer, "range", what + ", from 0 to " + String.format(java.util.Locale.ROOT, "%.0f", max));
        }
    }

    @POST
    @Path("leases")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Take or refresh a rate lease",
            description = "Enforce rate locally; refresh after refreshAfter; if Sluice cannot be reached, keep the"
                    + " lease until expiresAt, then fall back to the plan's safe rate")
    public Uni<LeaseView> lease(
            @PathParam("run") String run, @PathParam("service") String service, LeaseRequest request) {
        return answer(run, service, () -> leaseNow(run, service, request));
    }

    private LeaseView leaseNow(String run, String service, LeaseRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("", "required", "send {\"clientId\", \"wantPerSecond\"}");
        }
        if (request.clientId() == null
                || request.clientId().isBlank()
                || request.clientId().length() > MAX_CLIENT_ID_CHARS) {
            throw ProblemException.invalidField(
                    "/clientId",
                    "required",
                    "a stable id of the client instance, 1 to " + MAX_CLIENT_ID_CHARS + " characters");
        }
        if (request.wantPerSecond() == null
                || !(request.wantPerSecond() >= 0)
                || !Double.isFinite(request.wantPerSecond())) {
            throw ProblemException.invalidField("/wantPerSecond", "range", "the rate the client wants, 0 or more");
        }
        LeaseBook.Grant grant = admission.lease(run, service, request.clientId(), request.wantPerSecond());
        return new LeaseView(
                request.clientId(), grant.ratePerSecond(), grant.burst(), grant.expiresAt(), grant.refreshAfter());
    }

    @DELETE
    @Path("leases/{client}")
    @Operation(summary = "Give a lease back early (a client shutting down)")
    public Response release(
            @PathParam("run") String run, @PathParam("service") String service, @PathParam("client") String client) {
        ScopeCheck.require(caller, admission.planOf(run), service);
        if (!admission.release(run, service, client)) {
            throw ProblemException.notFound("client " + client + " holds no lease for " + service);
        }
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed({Role.VIEWER_NAME, Role.CLIENT_NAME})
    @Path("admission")
    @Operation(summary = "This replica's view of a service's admission: share, live leases, leased rate")
    public Map<String, Object> stats(@PathParam("run") String run, @PathParam("service") String service) {
        return admission.leaseStats(run, service);
    }
}
