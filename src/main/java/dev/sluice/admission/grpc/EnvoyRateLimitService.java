package dev.sluice.admission.grpc;

import com.google.protobuf.Duration;
import dev.sluice.access.http.BearerTokens;
import dev.sluice.access.http.RefusalAudit;
import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.AdmissionOutcome;
import dev.sluice.admission.RetryAfter;
import dev.sluice.admission.grpc.SluiceDescriptors.Ask;
import dev.sluice.admission.http.AdmissionResource;
import dev.sluice.admission.http.RateLimitFields;
import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.admission.replica.PlanRuns;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.WhenNoRun;
import dev.sluice.runtime.DatabaseUnavailable;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Envoy's global rate-limit service ({@code envoy.service.ratelimit.v3.RateLimitService}) answered
 * from Sluice's permit buckets: a thin shell over the calls the permit addresses make ({@link
 * AdmissionRegistry#acquire}, {@link PlanRuns#latest}), so a descriptor draws from the same bucket,
 * with the same refusal reasons and the same jittered retry hint, as a {@code POST .../permits} of
 * the same plan (or run) and service. Descriptors: {@link SluiceDescriptors}.
 *
 * <p>The caller is the Envoy (or Istio) proxy, with a client token in its {@code authorization}
 * metadata; the role and scope rules are the permit addresses' own, and refusals are audited as
 * theirs are. Answered on the event loop when every descriptor can be answered from memory, on a
 * worker thread otherwise.
 */
@GrpcService
@RegisterInterceptor(AuthorizationMetadata.class)
public class EnvoyRateLimitService implements RateLimitServiceGrpc.AsyncService, BindableService {
    static final String CALL = "gRPC envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit";
    /** Why descriptors were refused ({@code over-rate}, {@code blocked}, {@code no-allocation}, {@code no-run}). */
    static final String REASON_HEADER = "sluice-reason";
    /** When every descriptor is unrestricted: the seconds that holds, as the plan address's header. */
    static final String UNRESTRICTED_HEADER = "sluice-unrestricted";

    private static final Logger LOG = Logger.getLogger(EnvoyRateLimitService.class);

    @Inject
    BearerTokens tokens;

    @Inject
    AdmissionRegistry admission;

    @Inject
    PlanRuns planRuns;

    @Inject
    RefusalAudit refusals;

    /**
     * One descriptor's answer.
     *
     * @param reason the refusal's wire name, null when admitted
     * @param retry when to come back after a refusal, else null
     * @param unrestrictedSeconds for an unrestricted answer, how long it holds; else null
     */
    record Answer(
            String service,
            String reason,
            double ratePerSecond,
            long burstTokens,
            long remaining,
            RetryAfter retry,
            Long unrestrictedSeconds) {
        boolean over() {
            return reason != null;
        }
    }

    /**
     * Bound directly rather than through the generated {@code RateLimitServiceImplBase}: Quarkus finds
     * gRPC services in its index, and that base class lives in a dependency it does not index.
     */
    @Override
    public ServerServiceDefinition bindService() {
        return RateLimitServiceGrpc.bindService(this);
    }

    @Override
    public void shouldRateLimit(RateLimitRequest request, StreamObserver<RateLimitResponse> responses) {
        String authorization = AuthorizationMetadata.AUTHORIZATION.get();
        tokens.verify(authorization)
                .onItem()
                .transformToUni(caller -> answer(caller, request))
                .subscribe()
                .with(
                        response -> {
                            responses.onNext(response);
                            responses.onCompleted();
                        },
                        failure ->
                                responses.onError(status(failure, authorization).asRuntimeException()));
    }

    private Uni<RateLimitResponse> answer(SecurityIdentity caller, RateLimitRequest request) {
        if (!caller.hasRole(Role.CLIENT_NAME)) {
            refusals.refused(caller.getPrincipal().getName(), CALL, 403);
            return Uni.createFrom()
                    .failure(Status.PERMISSION_DENIED
                            .withDescription("token " + caller.getPrincipal().getName() + " has roles "
                                    + caller.getRoles() + ", which do not allow asking for permits")
                            .asRuntimeException());
        }
        List<Ask> asks = SluiceDescriptors.read(request);
        Uni<RateLimitResponse> answered = Uni.createFrom().item(() -> respond(caller, asks));
        return asks.stream().allMatch(this::inMemory)
                ? answered
                : answered.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private boolean inMemory(Ask ask) {
        if (!ask.byPlan()) {
            return admission.answersInMemory(ask.target());
        }
        if (!planRuns.knownNow(ask.target())) {
            return false;
        }
        PlanRuns.Latest latest = planRuns.latest(ask.target());
        return !latest.restricting() || admission.answersInMemory(latest.runId());
    }

    private RateLimitResponse respond(SecurityIdentity caller, List<Ask> asks) {
        List<Answer> answers = new ArrayList<>(asks.size());
        for (Ask ask : asks) {
            answers.add(decide(caller, ask));
        }
        return response(answers);
    }

    /** The permit addresses' decision for one descriptor: the scope first, so a token without it learns nothing. */
    private Answer decide(SecurityIdentity caller, Ask ask) {
        String service = ask.service();
        if (!ask.byPlan()) {
            requireScope(caller, admission.planOf(ask.target()), service);
            return fromOutcome(service, admission.acquire(ask.target(), service, ask.permits(), null));
        }
        requireScope(caller, ask.target(), service);
        PlanRuns.Latest latest = planRuns.latest(ask.target());
        if (latest.plan().service(service) == null) {
            throw DomainException.notFound("plan " + ask.target() + " has no service " + service);
        }
        if (latest.restricting()) {
            return fromOutcome(service, admission.acquire(latest.runId(), service, ask.permits(), null));
        }
        CompiledPlan.Admission settings = latest.plan().admission();
        if (latest.completed() || settings.whenNoRun() == WhenNoRun.OPEN) {
            return new Answer(service, null, 0, 0, 0, null, settings.unrestrictedSeconds());
        }
        return new Answer(service, "no-run", 0, 0, 0, latest.noRunRetry(ThreadLocalRandom.current()), null);
    }

    private void requireScope(SecurityIdentity caller, String plan, String service) {
        try {
            ScopeCheck.require(caller, plan, service);
        } catch (DomainException e) {
            refusals.refused(caller.getPrincipal().getName(), CALL + " " + plan + "/" + service, 403);
            throw e;
        }
    }

    private static Answer fromOutcome(String service, AdmissionOutcome outcome) {
        return new Answer(
                service,
                outcome.granted() ? null : outcome.reason().wireName(),
                outcome.ratePerSecond(),
                outcome.burstTokens(),
                outcome.remaining(),
                outcome.granted() ? null : new RetryAfter(outcome.retryAfterMillis(), outcome.retryAfterSeconds()),
                null);
    }

    /**
     * Over the limit when any descriptor is; the retry hint is the longest of the refused
     * descriptors' (the request may pass only once all of them would), and the {@code
     * RateLimit-Policy} and {@code RateLimit} fields list every restricted descriptor's service, as
     * a permit answer lists its one.
     */
    static RateLimitResponse response(List<Answer> answers) {
        RateLimitResponse.Builder response = RateLimitResponse.newBuilder();
        List<String> policies = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        RetryAfter longest = null;
        Long unrestricted = null;
        boolean allUnrestricted = true;
        for (Answer a : answers) {
            DescriptorStatus.Builder status =
                    DescriptorStatus.newBuilder().setCode(a.over() ? Code.OVER_LIMIT : Code.OK);
            if (a.unrestrictedSeconds() != null) {
                unrestricted = unrestricted == null
                        ? a.unrestrictedSeconds()
                        : Math.min(unrestricted, a.unrestrictedSeconds());
                response.addStatuses(status);
                continue;
            }
            allUnrestricted = false;
            long windowSeconds;
            if (a.over()) {
                reasons.add(a.reason());
                windowSeconds = a.retry().seconds();
                longest = longest == null
                        ? a.retry()
                        : new RetryAfter(
                                Math.max(longest.millis(), a.retry().millis()),
                                Math.max(longest.seconds(), a.retry().seconds()));
                status.setDurationUntilReset(millis(a.retry().millis()));
            } else {
                windowSeconds = RateLimitFields.secondsUntilFull(a.ratePerSecond(), a.burstTokens(), a.remaining());
                status.setDurationUntilReset(Duration.newBuilder().setSeconds(windowSeconds));
            }
            status.setCurrentLimit(currentLimit(a.service(), a.ratePerSecond()))
                    .setLimitRemaining((int) Math.min(0xFFFF_FFFFL, Math.max(0, a.remaining())));
            response.addStatuses(status);
            policies.add(RateLimitFields.policy(a.service(), a.ratePerSecond(), a.burstTokens()));
            limits.add(RateLimitFields.limit(a.service(), a.remaining(), windowSeconds));
        }
        response.setOverallCode(longest != null ? Code.OVER_LIMIT : Code.OK);
        if (longest != null) {
            header(response, "retry-after", Long.toString(longest.seconds()));
            header(response, AdmissionResource.RETRY_AFTER_MS, Long.toString(longest.millis()));
            header(response, REASON_HEADER, String.join(", ", reasons));
        }
        if (!policies.isEmpty()) {
            header(response, RateLimitFields.POLICY.toLowerCase(java.util.Locale.ROOT), String.join(", ", policies));
            header(response, RateLimitFields.LIMIT.toLowerCase(java.util.Locale.ROOT), String.join(", ", limits));
        }
        if (allUnrestricted && unrestricted != null) {
            header(response, UNRESTRICTED_HEADER, Long.toString(unrestricted));
        }
        return response.build();
    }

    /**
     * A rate as Envoy's whole requests per unit: per second from 1/s up, per minute or per hour
     * below, so that a slow service does not read as a limit of 0.
     */
    static RateLimitResponse.RateLimit currentLimit(String service, double ratePerSecond) {
        RateLimitResponse.RateLimit.Builder limit =
                RateLimitResponse.RateLimit.newBuilder().setName(service);
        if (ratePerSecond >= 1 || ratePerSecond <= 0) {
            return limit.setUnit(RateLimitResponse.RateLimit.Unit.SECOND)
                    .setRequestsPerUnit(wholeRequests(ratePerSecond))
                    .build();
        }
        if (ratePerSecond * 60 >= 1) {
            return limit.setUnit(RateLimitResponse.RateLimit.Unit.MINUTE)
                    .setRequestsPerUnit(wholeRequests(ratePerSecond * 60))
                    .build();
        }
        return limit.setUnit(RateLimitResponse.RateLimit.Unit.HOUR)
                .setRequestsPerUnit(wholeRequests(ratePerSecond * 3600))
                .build();
    }

    private static int wholeRequests(double perUnit) {
        // uint32 on the wire; 1e-9 absorbs floating-point noise as RateLimitFields does.
        return (int) (long) Math.min(0xFFFF_FFFFL, Math.max(0, Math.floor(perUnit + 1e-9)));
    }

    private static Duration millis(long millis) {
        return Duration.newBuilder()
                .setSeconds(millis / 1000)
                .setNanos((int) (millis % 1000) * 1_000_000)
                .build();
    }

    private static void header(RateLimitResponse.Builder response, String name, String value) {
        response.addResponseHeadersToAdd(
                HeaderValue.newBuilder().setKey(name).setValue(value).build());
    }

    /** The gRPC status for a failure: the permit addresses' refusals in gRPC's words. */
    private Status status(Throwable failure, String authorization) {
        if (failure instanceof io.grpc.StatusRuntimeException s) {
            return s.getStatus();
        }
        if (failure instanceof AuthenticationFailedException) {
            refusals.refused("anonymous", CALL, 401);
            return Status.UNAUTHENTICATED.withDescription(
                    authorization == null
                            ? "this call needs a client token: metadata authorization: Bearer <token>"
                            : "the token is not valid, or was revoked");
        }
        if (failure instanceof DomainException e) {
            String at = e.pointer() == null ? "" : e.pointer() + ": ";
            return switch (e.fault()) {
                case NOT_FOUND -> Status.NOT_FOUND.withDescription(e.getMessage());
                case FORBIDDEN -> Status.PERMISSION_DENIED.withDescription(e.getMessage());
                case INVALID_FIELD -> Status.INVALID_ARGUMENT.withDescription(at + e.getMessage());
                default -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            };
        }
        if (DatabaseUnavailable.in(failure).isPresent()) {
            return Status.UNAVAILABLE.withDescription("the database cannot be reached; retry later");
        }
        LOG.errorf(failure, "rate-limit request failed");
        return Status.INTERNAL.withDescription("internal error");
    }
}
