package dev.sluice.api;

import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one table from a domain refusal to its problem type: slug (the stable {@code type} URI is
 * {@code urn:sluice:problem:<slug>}), HTTP status and title. Adding a {@link Fault} without a row
 * fails at start-up, not at the first such request.
 */
public final class ProblemTypes {
    /** One row of the table. */
    public record Type(String slug, int status, String title) {}

    private static final Map<Fault, Type> TABLE = new EnumMap<>(Fault.class);

    static {
        TABLE.put(Fault.NOT_FOUND, new Type("not-found", 404, "Not found"));
        TABLE.put(Fault.INVALID_FIELD, new Type("invalid-request", 400, "Invalid request"));
        TABLE.put(Fault.ILLEGAL_TRANSITION, new Type("illegal-transition", 409, "Conflict"));
        TABLE.put(Fault.STALE_VERSION, new Type("stale-version", 412, "Precondition failed"));
        TABLE.put(Fault.RUN_ACTIVE, new Type("run-active", 409, "Conflict"));
        TABLE.put(Fault.PLAN_IN_USE, new Type("plan-in-use", 409, "Plan in use"));
        TABLE.put(Fault.PLAN_EXISTS, new Type("plan-exists", 409, "Conflict"));
        TABLE.put(Fault.TOKEN_EXISTS, new Type("token-exists", 409, "Conflict"));
        TABLE.put(Fault.IDEMPOTENCY_KEY_REUSED, new Type("idempotency-key-reused", 422, "Idempotency key reused"));
        TABLE.put(Fault.LEASES_UNAVAILABLE, new Type("leases-unavailable", 409, "Conflict"));
        TABLE.put(Fault.UNAUTHENTICATED, new Type("unauthorized", 401, "Unauthorized"));
        TABLE.put(Fault.FORBIDDEN, new Type("forbidden", 403, "Forbidden"));
        for (Fault f : Fault.values()) {
            if (!TABLE.containsKey(f)) {
                throw new ExceptionInInitializerError("no problem type for fault " + f);
            }
        }
    }

    private ProblemTypes() {}

    public static Type of(Fault fault) {
        return TABLE.get(fault);
    }

    /**
     * The problem a domain refusal answers with: an invalid field is named by pointer and rule, and
     * the refusal's members (e.g. {@code currentVersion}) become members of the problem.
     */
    public static Problem problemOf(DomainException e) {
        Type type = of(e.fault());
        String detail = e.fault() == Fault.INVALID_FIELD ? e.pointer() + ": " + e.getMessage() : e.getMessage();
        Problem problem = Problem.of(type.status(), type.slug(), type.title(), detail);
        if (e.fault() == Fault.INVALID_FIELD) {
            problem = problem.with(
                    "violations", List.of(Map.of("pointer", e.pointer(), "rule", e.rule(), "message", e.getMessage())));
        }
        for (Map.Entry<String, Object> member : e.members().entrySet()) {
            problem = problem.with(member.getKey(), member.getValue());
        }
        return problem;
    }
}
