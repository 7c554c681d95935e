package dev.sluice.api;

import java.util.Map;

/**
 * An HTTP-level answer thrown by an http shell: a query parameter or header that breaks a rule, a
 * body too large, a {@code 429} with {@code Retry-After}. {@code headers} are added to the response.
 * Refusals of the domain (not found, stale version, a field that breaks a rule, a conflict) are
 * {@link dev.sluice.domain.DomainException}s instead, answered through {@link ProblemTypes}; cores and
 * stores never throw this.
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Prefer {@link dev.sluice.domain.DomainException#notFound}, which answers the same; kept for the
     * callers not yet moved.
     */
    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what));
    }

    /**
     * A request body field that breaks a rule: 400 naming the field by JSON pointer. Prefer {@link
     * dev.sluice.domain.DomainException#invalidField}, which answers the same; kept for the callers
     * not yet moved.
     */
    public static ProblemException invalidField(String pointer, String rule, String message) {
        return new ProblemException(Problem.of(400, "invalid-request", "Invalid request", pointer + ": " + message)
                .with("violations", java.util.List.of(Map.of("pointer", pointer, "rule", rule, "message", message))));
    }

    /** A query or path parameter that breaks a rule: 400 naming the parameter. */
    public static ProblemException invalidParameter(String parameter, String rule, String message) {
        return new ProblemException(Problem.of(
                        400, "invalid-parameter", "Invalid parameter", parameter + ": " + message)
                .with("violations", java.util.List.of(Map.of("pointer", parameter, "rule", rule, "message", message))));
    }
}
