package dev.sluice.admission.http;

import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.replica.AdmissionRegistry;
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
 * leases they enforce themselves. Permits, the hot path, are served below JAX-RS by {@link
 * PermitRoute}; their request and answer types are here with the leases'.
 */
@Path("/api/v1/runs/{run}/services/{service}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admission")
@RolesAllowed(Role.CLIENT_NAME)
public class AdmissionResource {
    public static final long MAX_PERMITS_PER_REQUEST = 1_000_000;
    static final int MAX_CLIENT_ID_CHARS = 200;
    /** The most a client may state it wants, requests/s (a bucket's own limit). */
    static final double MAX_WANT_PER_SECOND = dev.sluice.admission.RateLimit.MAX_RATE_PER_SECOND;
    /** The most requests a client may state it holds queued. */
    static final double MAX_BACKLOG = 1e12;
    /** The millisecond {@code Retry-After}, as several client SDKs read it. */
    public static final String RETRY_AFTER_MS = "retry-after-ms";

    @Inject
    AdmissionRegistry admission;

    @Inject
    SecurityIdentity caller;

    @Inject
    AdmissionAnswers answers;

    /**
     * @param count permits asked for at once (default 1)
     * @param clientId a stable id of the client instance; needed to state a want
     * @param wantPerSecond the client's desired rate now, backlog replay included (optional)
     * @param backlog requests the client holds queued (optional)
     */
    public record PermitRequest(Long count, String clientId, Double wantPerSecond, Double backlog) {}

    public record Granted(long granted, long remaining, double ratePerSecond, String stage) {}

    public record LeaseRequest(String clientId, Double wantPerSecond) {}

    /**
     * @param safeRatePerSecond the plan's {@code policy.safeRatePerSecond} for the service: what the
     *     client falls back to once the lease has expired and Sluice cannot be reached
     */
    public record LeaseView(
            String clientId,
            double rate,
            long burst,
            Instant expiresAt,
            Instant refreshAfter,
            double safeRatePerSecond) {}

    /**
     * Answers on a worker thread: loading the run may read the database, and a lease that raises the
     * leased rate is recorded there before it is answered.
     */
    private <T> Uni<T> onWorker(String run, String service, java.util.function.Supplier<T> work) {
        return Uni.createFrom()
                .item(() -> {
                    ScopeCheck.require(caller, admission.planOf(run), service);
                    return work.get();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
        return onWorker(run, service, () -> answers.lease(run, service, request));
    }

    @DELETE
    @Path("leases/{client}")
    @Operation(summary = "Give a lease back early (a client shutting down)")
    public Response release(
            @PathParam("run") String run, @PathParam("service") String service, @PathParam("client") String client) {
        ScopeCheck.require(caller, admission.planOf(run), service);
        answers.release(run, service, client);
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
