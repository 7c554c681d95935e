package dev.sluice.api;

import java.util.Map;

/**
 * Thrown anywhere in request handling to answer with a problem. {@code headers} are added to the
 * response (e.g. {@code Retry-After}).
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

    public static ProblemException badRequest(String slug, String title, String detail) {
        return new ProblemException(Problem.of(400, slug, title, detail));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }

    /** A request body field that breaks a rule: 400 naming the field by JSON pointer. */
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
