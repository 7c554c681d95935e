package dev.sluice.admission.http;

import dev.sluice.admission.AdmissionOutcome;
import dev.sluice.admission.LeaseBook;
import dev.sluice.admission.RetryAfter;
import dev.sluice.admission.StatedWant;
import dev.sluice.admission.http.AdmissionResource.Granted;
import dev.sluice.admission.http.AdmissionResource.LeaseRequest;
import dev.sluice.admission.http.AdmissionResource.LeaseView;
import dev.sluice.admission.http.AdmissionResource.PermitRequest;
import dev.sluice.admission.http.PlanAdmissionResource.Unrestricted;
import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.admission.replica.PlanRuns;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.control.Ramp;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.WhenNoRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answers of a run's admission, validated and shaped for HTTP: one place for both addresses
 * that serve them (the run's own, {@link AdmissionResource}, and the plan's, {@link
 * PlanAdmissionResource}; permits at both, {@link PermitRoute}). The caller has checked the token's
 * scope.
 */
@ApplicationScoped
class AdmissionAnswers {
    private static final long MAX_PERMITS_PER_REQUEST = AdmissionResource.MAX_PERMITS_PER_REQUEST;
    private static final int MAX_CLIENT_ID_CHARS = AdmissionResource.MAX_CLIENT_ID_CHARS;
    private static final double MAX_WANT_PER_SECOND = AdmissionResource.MAX_WANT_PER_SECOND;
    private static final double MAX_BACKLOG = AdmissionResource.MAX_BACKLOG;
    private static final String RETRY_AFTER_MS = AdmissionResource.RETRY_AFTER_MS;

    @Inject
    AdmissionRegistry admission;

    @Inject
    PlanRuns planRuns;

    @Inject
    Clock clock;

    /**
     * A grant and the values of its {@code RateLimit-Policy} and {@code RateLimit} fields.
     */
    record Permitted(Granted granted, String policy, String limit) {}

    /** Permits of a run's service: granted, or a 429 problem with the retry hint. */
    Permitted permits(String run, String service, PermitRequest request) {
        long count = request == null || request.count() == null ? 1 : request.count();
        if (count < 1 || count > MAX_PERMITS_PER_REQUEST) {
            throw ProblemException.invalidField("/count", "range", "must be between 1 and " + MAX_PERMITS_PER_REQUEST);
        }
        StatedWant want = statedWant(request);
        AdmissionOutcome outcome = admission.acquire(run, service, count, want);
        String policy = RateLimitFields.policy(service, outcome.ratePerSecond(), outcome.burstTokens());
        if (outcome.granted()) {
            return new Permitted(
                    new Granted(outcome.permits(), outcome.remaining(), outcome.ratePerSecond(), outcome.stage()),
                    policy,
                    RateLimitFields.limit(
                            service,
                            outcome.remaining(),
                            RateLimitFields.secondsUntilFull(
                                    outcome.ratePerSecond(), outcome.burstTokens(), outcome.remaining())));
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
                refusalHeaders(
                        outcome.retryAfterSeconds(),
                        outcome.retryAfterMillis(),
                        policy,
                        RateLimitFields.limit(service, outcome.remaining(), outcome.retryAfterSeconds())));
    }

    /** The headers of every 429: when to come back, in whole seconds and in milliseconds, and the rate-limit fields. */
    private static Map<String, String> refusalHeaders(long seconds, long millis, String policy, String limit) {
        return Map.of(
                "Retry-After",
                Long.toString(seconds),
                RETRY_AFTER_MS,
                Long.toString(millis),
                RateLimitFields.POLICY,
                policy,
                RateLimitFields.LIMIT,
                limit);
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

    /** A run's lease taken or refreshed. */
    LeaseView lease(String run, String service, LeaseRequest request) {
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
                request.clientId(),
                grant.ratePerSecond(),
                grant.burst(),
                grant.expiresAt(),
                grant.refreshAfter(),
                admission.planOfRun(run).policy().safeRatePerSecond());
    }

    /** The plan's latest run, for one of its services (not found when the plan has no such service). */
    PlanRuns.Latest latest(String plan, String service) {
        PlanRuns.Latest latest = planRuns.latest(plan);
        if (latest.plan().service(service) == null) {
            throw ProblemException.notFound("plan " + plan + " has no service " + service);
        }
        return latest;
    }

    /** Whether the plan's address can answer without I/O now: its latest run is known, and admits in memory. */
    boolean planAnswersInMemory(String plan) {
        if (!planRuns.knownNow(plan)) {
            return false;
        }
        PlanRuns.Latest latest = planRuns.latest(plan);
        return !latest.restricting() || admission.answersInMemory(latest.runId());
    }

    /**
     * The plan's answer when no run restricts admission: unrestricted (the latest run completed, or
     * none ran and the plan says {@code open}), else a 429 {@code no-run} problem with the retry hint.
     */
    Unrestricted unrestrictedOrClosed(
            String plan, String service, PlanRuns.Latest latest, Long granted, String clientId) {
        CompiledPlan.Admission settings = latest.plan().admission();
        if (latest.completed() || settings.whenNoRun() == WhenNoRun.OPEN) {
            long seconds = settings.unrestrictedSeconds();
            return new Unrestricted(
                    true,
                    latest.completed() ? "run-completed" : "no-run",
                    latest.runId(),
                    granted,
                    clientId,
                    seconds,
                    clock.instant().plusSeconds(seconds));
        }
        RetryAfter retry = latest.noRunRetry(ThreadLocalRandom.current());
        Problem problem = Problem.of(
                        429,
                        "not-admitted",
                        "Too many requests",
                        "plan " + plan + " has no run yet and admits nothing until an operator starts one"
                                + " (admission.whenNoRun: closed)")
                .with("reason", "no-run")
                .with("retryAfterMillis", retry.millis());
        throw new ProblemException(
                problem,
                refusalHeaders(
                        retry.seconds(),
                        retry.millis(),
                        RateLimitFields.policy(service, 0, 0),
                        RateLimitFields.limit(service, 0, retry.seconds())));
    }

    /** A run's lease given back (not found when the client holds none). */
    void release(String run, String service, String client) {
        if (!admission.release(run, service, client)) {
            throw ProblemException.notFound("client " + client + " holds no lease for " + service);
        }
    }
}
