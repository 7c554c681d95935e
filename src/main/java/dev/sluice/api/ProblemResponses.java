package dev.sluice.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.NulFreeText;
import dev.sluice.runtime.DatabaseUnavailable;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place exceptions become HTTP answers. Every error is {@code application/problem+json};
 * a client mistake is never a 500, and a 500 never leaks internals (the cause goes to the log).
 */
public class ProblemResponses {
    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @Context
    UriInfo uriInfo;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.problem());
        e.headers().forEach(response::header);
        return response.build();
    }

    /** A refusal by a core, through the one table of problem types. */
    @ServerExceptionMapper
    public Response domain(DomainException e) {
        return respond(ProblemTypes.problemOf(e)).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // the JSON reader wraps what it could not parse; the cause says where
            return unreadableJson(unreadable);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return respond(Problem.of(
                            status,
                            "internal",
                            "Internal error",
                            "the request could not be completed; the server log has the cause"))
                    .build();
        }
        Response.ResponseBuilder response = respond(httpProblem(status, e.getMessage()));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    /**
     * A refusal by HTTP status alone (404, 405, 406, 413, 415, or another 4xx): the problem JAX-RS's
     * own refusals are answered with, for a route that makes the same refusal itself.
     */
    public static Problem httpProblem(int status, String detail) {
        String slug = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> "bad-request";
        };
        Response.StatusType reason = Response.Status.fromStatusCode(status);
        String title = reason == null ? "Error" : reason.getReasonPhrase();
        return Problem.of(status, slug, title, detail);
    }

    /** Bean Validation on parameters, e.g. a query parameter out of range. */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of(
                        "pointer",
                        lastNode(v.getPropertyPath().toString()),
                        "rule",
                        "constraint",
                        "message",
                        v.getMessage()))
                .toList();
        return respond(Problem.of(
                                400,
                                "invalid-parameter",
                                "Invalid parameter",
                                violations.stream()
                                        .map(v -> v.get("pointer") + ": " + v.get("message"))
                                        .reduce((a, b) -> a + "; " + b)
                                        .orElse("invalid request"))
                        .with("violations", violations))
                .build();
    }

    /**
     * A JSON body the framework itself could not read (our plan endpoints read bodies themselves):
     * broken syntax, or a key given twice. Names where the reader stopped, as a JSON pointer.
     */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return respond(unreadableProblem(e)).build();
    }

    /**
     * The problem for a JSON request body that could not be read into its type, whichever way it
     * failed: what each of the mappers here answers, for a route that reads its body itself (the
     * permit route). Null for {@link InvalidDefinitionException} (our bug, not the client's).
     */
    public static Problem bodyProblem(JsonProcessingException e) {
        if (e instanceof NulFreeText.NulCharacterException nul) {
            return nulProblem(nul);
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            return unknownFieldProblem(unknown);
        }
        if (e instanceof InvalidDefinitionException) {
            return null;
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatched) {
            return wrongTypeProblem(mismatched);
        }
        return unreadableProblem(e);
    }

    private static Problem unreadableProblem(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        int newline = detail.indexOf('\n');
        String message = newline < 0 ? detail : detail.substring(0, newline);
        String pointer = e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                ? parser.getParsingContext().pathAsPointer().toString()
                : "";
        String rule = message.startsWith("Duplicate field") ? "duplicate-key" : "syntax";
        return Problem.of(400, "malformed-body", "Malformed body", (pointer.isEmpty() ? "" : pointer + ": ") + message)
                .with("violations", List.of(Map.of("pointer", pointer, "rule", rule, "message", message)));
    }

    /** Text with a NUL character, which no field accepts. */
    @ServerExceptionMapper
    public Response nulCharacter(NulFreeText.NulCharacterException e) {
        return respond(nulProblem(e)).build();
    }

    private static Problem nulProblem(NulFreeText.NulCharacterException e) {
        String pointer = pointer(e);
        return Problem.of(400, "invalid-request", "Invalid request", pointer + ": " + NulFreeText.MESSAGE)
                .with(
                        "violations",
                        List.of(Map.of("pointer", pointer, "rule", NulFreeText.RULE, "message", NulFreeText.MESSAGE)));
    }

    /** Jackson could not bind a body to its type at all: our bug, but still answered as a problem. */
    @ServerExceptionMapper
    public Response unbindable(InvalidDefinitionException e) {
        return unexpected(e);
    }

    /** A request body with a field the endpoint does not know (a typo, or a field of another version). */
    @ServerExceptionMapper
    public Response unknownField(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
        return respond(unknownFieldProblem(e)).build();
    }

    private static Problem unknownFieldProblem(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
        String field = e.getPropertyName();
        return Problem.of(400, "malformed-body", "Malformed body", "unknown field \"" + field + "\"")
                .with(
                        "violations",
                        List.of(Map.of(
                                "pointer",
                                "/" + field,
                                "rule",
                                "unknown-field",
                                "message",
                                "unknown field; known fields: " + e.getKnownPropertyIds())));
    }

    /** A request body value of the wrong type. */
    @ServerExceptionMapper
    public Response wrongType(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return respond(wrongTypeProblem(e)).build();
    }

    private static Problem wrongTypeProblem(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        String pointer = pointer(e);
        return Problem.of(
                        400,
                        "malformed-body",
                        "Malformed body",
                        (pointer.isEmpty() ? "the body" : pointer) + " has the wrong type")
                .with("violations", List.of(Map.of("pointer", pointer, "rule", "type", "message", "wrong type")));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        if (DatabaseUnavailable.isCause(e)) {
            LOG.warnf(
                    "database unavailable: %s",
                    DatabaseUnavailable.in(e).map(Throwable::toString).orElse(""));
            return databaseUnavailable(uriInfo == null ? null : uriInfo.getPath());
        }
        return respond(internalProblem(e)).build();
    }

    /**
     * The answer of every call that needs the database while it cannot be reached: 503 with {@code
     * Retry-After} (the rule is {@link DatabaseUnavailable}). Permits, leases and the admission
     * webhook do not need it (fail static) and never answer this.
     *
     * @param path the request path for {@code instance}, or null
     */
    public static Response databaseUnavailable(String path) {
        Response.ResponseBuilder response =
                Response.status(503).type(Problem.MEDIA_TYPE).entity(databaseUnavailableProblem(path));
        databaseUnavailableHeaders().forEach(response::header);
        return response.build();
    }

    /** The problem of {@link #databaseUnavailable}, for a route that answers without JAX-RS. */
    public static Problem databaseUnavailableProblem(String path) {
        Problem problem = Problem.of(
                503,
                "database-unavailable",
                "Service unavailable",
                "the database cannot be reached right now; retry later");
        return path == null ? problem : problem.at(path);
    }

    /** The headers of {@link #databaseUnavailable}. */
    public static Map<String, String> databaseUnavailableHeaders() {
        return Map.of("Retry-After", Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
    }

    /** The answer to a failure nobody foresaw: logged, and answered without internals. */
    public static Problem internalProblem(Throwable e) {
        LOG.error("request failed", e);
        return Problem.of(
                500, "internal", "Internal error", "the request could not be completed; the server log has the cause");
    }

    private Response.ResponseBuilder respond(Problem problem) {
        Problem located = uriInfo == null ? problem : problem.at(uriInfo.getPath());
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(located);
    }

    private static String pointer(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
                .reduce("", (a, b) -> a + "/" + b);
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
