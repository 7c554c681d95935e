package dev.sluice.admission.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.sluice.access.http.RouteAccess;
import dev.sluice.access.http.ScopeCheck;
import dev.sluice.admission.http.AdmissionAnswers.Permitted;
import dev.sluice.admission.http.AdmissionResource.Granted;
import dev.sluice.admission.http.AdmissionResource.PermitRequest;
import dev.sluice.admission.http.PlanAdmissionResource.Unrestricted;
import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.admission.replica.PlanRuns;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.api.ProblemResponses;
import dev.sluice.api.ProblemTypes;
import dev.sluice.api.RequestLimits;
import dev.sluice.api.RouteProblems;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.NulFreeText;
import dev.sluice.domain.Role;
import dev.sluice.runtime.DatabaseUnavailable;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/runs/{run}/services/{service}/permits} and {@code POST
 * /api/v1/plans/{plan}/services/{service}/permits}: the hot path, served by a Vert.x route rather
 * than JAX-RS. A permit is the request dependents make before every call to the recovering tier, so
 * it skips the security layer's chain and the generic body handling (measured in docs/admission.md,
 * "What an authenticated permit costs"), and keeps every rule of the JAX-RS resources: the same
 * token check and audited refusals ({@link RouteAccess}), the same body rules (the application's
 * {@link ObjectMapper}, answered through {@link ProblemResponses#bodyProblem}), the same answers
 * ({@link AdmissionAnswers}), in the same order: media types (415, 406), token and role (401, 403),
 * NUL in a parameter, the body, the scope, then admission. Its OpenAPI description is {@code
 * META-INF/openapi.yaml}.
 */
@Singleton
public class PermitRoute {
    static final String RUN_PATH = "/api/v1/runs/:run/services/:service/permits";
    static final String PLAN_PATH = "/api/v1/plans/:plan/services/:service/permits";
    private static final String JSON = "application/json;charset=UTF-8";
    private static final Logger LOG = Logger.getLogger(PermitRoute.class);

    @Inject
    RouteAccess access;

    @Inject
    AdmissionAnswers answers;

    @Inject
    AdmissionRegistry admission;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void register(@Observes Router router) {
        router.post(RUN_PATH).handler(context -> serve(context, this::runPermits));
        router.post(PLAN_PATH).handler(context -> serve(context, this::planPermits));
    }

    /** What a permit address answers, once the request has passed the checks every address makes. */
    private interface Answer {
        void answer(RoutingContext context, SecurityIdentity caller, PermitRequest request);
    }

    private void serve(RoutingContext context, Answer answer) {
        Problem mediaType = mediaTypeProblem(context.request());
        if (mediaType != null) {
            end(context, mediaType, Map.of());
            return;
        }
        access.requireRole(context, Role.CLIENT_NAME, caller -> {
            Problem nul = nulParameterProblem(context);
            if (nul != null) {
                end(context, nul, Map.of());
                return;
            }
            readBody(context, body -> {
                PermitRequest request;
                try {
                    request = parse(body);
                } catch (JsonProcessingException e) {
                    fail(context, e);
                    return;
                }
                answer.answer(context, caller, request);
            });
        });
    }

    private void runPermits(RoutingContext context, SecurityIdentity caller, PermitRequest request) {
        String run = context.pathParam("run");
        String service = context.pathParam("service");
        respond(context, admission.answersInMemory(run), () -> {
            ScopeCheck.require(caller, admission.planOf(run), service);
            return answers.permits(run, service, request);
        });
    }

    private void planPermits(RoutingContext context, SecurityIdentity caller, PermitRequest request) {
        String plan = context.pathParam("plan");
        String service = context.pathParam("service");
        try {
            // before anything is looked up: a token without the scope learns nothing about the plan
            ScopeCheck.require(caller, plan, service);
        } catch (RuntimeException e) {
            fail(context, e);
            return;
        }
        respond(context, answers.planAnswersInMemory(plan), () -> {
            PlanRuns.Latest latest = answers.latest(plan, service);
            if (latest.restricting()) {
                return answers.permits(latest.runId(), service, request);
            }
            long count = request == null || request.count() == null ? 1 : request.count();
            return answers.unrestrictedOrClosed(plan, service, latest, count, null);
        });
    }

    /**
     * Answers on the event loop when admission needs no I/O, and on a worker thread otherwise
     * (loading the run or the plan's latest run, exact mode's shared bucket), in a request context
     * there as JAX-RS would have given it.
     */
    private void respond(RoutingContext context, boolean inMemory, Supplier<Object> work) {
        if (inMemory) {
            Object result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                fail(context, e);
                return;
            }
            write(context, result);
            return;
        }
        context.vertx()
                .executeBlocking(
                        () -> {
                            ManagedContext requestContext = Arc.container().requestContext();
                            requestContext.activate();
                            try {
                                return work.get();
                            } finally {
                                requestContext.terminate();
                            }
                        },
                        false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        write(context, done.result());
                    } else {
                        fail(context, done.cause());
                    }
                });
    }

    private void write(RoutingContext context, Object result) {
        HttpServerResponse response = context.response();
        if (result instanceof Permitted permitted) {
            response.setStatusCode(200)
                    .putHeader("Content-Type", JSON)
                    .putHeader(RateLimitFields.POLICY, permitted.policy())
                    .putHeader(RateLimitFields.LIMIT, permitted.limit())
                    .end(grantedJson(permitted.granted()));
            return;
        }
        Unrestricted unrestricted = (Unrestricted) result;
        String body;
        try {
            body = json.writeValueAsString(unrestricted);
        } catch (JsonProcessingException e) {
            fail(context, e);
            return;
        }
        response.setStatusCode(200)
                .putHeader("Content-Type", JSON)
                .putHeader(
                        "content-length",
                        Integer.toString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length))
                .putHeader(PlanAdmissionResource.UNRESTRICTED_HEADER, Long.toString(unrestricted.unrestrictedSeconds()))
                .end(body);
    }

    /**
     * A grant as the application's {@link ObjectMapper} writes {@link Granted} (members in record
     * order, a null stage left out), written by hand: it is the answer to nearly every permit request.
     */
    static String grantedJson(Granted granted) {
        StringBuilder out = new StringBuilder(96)
                .append("{\"granted\":")
                .append(granted.granted())
                .append(",\"remaining\":")
                .append(granted.remaining())
                .append(",\"ratePerSecond\":");
        double rate = granted.ratePerSecond();
        if (Double.isFinite(rate)) {
            out.append(rate);
        } else {
            out.append('"').append(rate).append('"');
        }
        if (granted.stage() != null) {
            out.append(",\"stage\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(granted.stage()))
                    .append('"');
        }
        return out.append('}').toString();
    }

    /** The failure answered as the JAX-RS mappers answer it ({@link ProblemResponses}, the access refusals). */
    private void fail(RoutingContext context, Throwable failure) {
        if (access.answeredOutOfScope(context, failure)) {
            return;
        }
        if (failure instanceof ProblemException problem) {
            end(context, problem.problem(), problem.headers());
        } else if (failure instanceof DomainException refusal) {
            end(context, ProblemTypes.problemOf(refusal), Map.of());
        } else if (failure instanceof JsonProcessingException unreadable
                && ProblemResponses.bodyProblem(unreadable) != null) {
            end(context, ProblemResponses.bodyProblem(unreadable), Map.of());
        } else if (DatabaseUnavailable.isCause(failure)) {
            LOG.warnf(
                    "database unavailable: %s",
                    DatabaseUnavailable.in(failure).map(Throwable::toString).orElse(""));
            end(
                    context,
                    ProblemResponses.databaseUnavailableProblem(null),
                    ProblemResponses.databaseUnavailableHeaders());
        } else {
            end(context, ProblemResponses.internalProblem(failure), Map.of());
        }
    }

    private static void end(RoutingContext context, Problem problem, Map<String, String> headers) {
        RouteProblems.end(context, problem.at(RouteProblems.decodedPath(context)), headers);
    }

    /**
     * The {@code Content-Type} and {@code Accept} rules the JAX-RS resources had ({@code @Consumes} and
     * {@code @Produces} JSON), with their answers: no content type, or any JSON one (whatever its
     * parameters), is read as JSON.
     */
    static Problem mediaTypeProblem(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        if (type != null && !type.isBlank()) {
            String[] parts = mediaRange(type);
            if (parts == null) {
                return ProblemResponses.httpProblem(
                        415, "The content-type header value did not correspond to a valid media type");
            }
            if (!(parts[0].equals("*") || parts[0].equals("application"))
                    || !(parts[1].equals("*") || parts[1].equals("json"))) {
                return ProblemResponses.httpProblem(
                        415, "The content-type header value did not match the value in @Consumes");
            }
        }
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.isBlank() && !acceptsJson(accept)) {
            return ProblemResponses.httpProblem(406, "The accept header value did not match the value in @Produces");
        }
        return null;
    }

    private static boolean acceptsJson(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = mediaRange(range);
            if (parts != null
                    && (parts[0].equals("*") && parts[1].equals("*")
                            || parts[0].equals("application") && (parts[1].equals("*") || parts[1].equals("json")))) {
                return true;
            }
        }
        return false;
    }

    /** Type and subtype of a media type, lower case, without parameters; null when it is not one. */
    private static String[] mediaRange(String value) {
        int semicolon = value.indexOf(';');
        String media =
                (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        if (slash <= 0 || slash == media.length() - 1 || media.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        return new String[] {media.substring(0, slash), media.substring(slash + 1)};
    }

    /** A path or query parameter holding a NUL, named, as {@code api.NulFreeParameters} refuses it. */
    private static Problem nulParameterProblem(RoutingContext context) {
        for (Map.Entry<String, String> parameter : context.pathParams().entrySet()) {
            if (NulFreeText.containsNul(parameter.getValue())) {
                return nulProblem(parameter.getKey());
            }
        }
        if (context.request().query() == null) {
            return null;
        }
        for (String name : context.queryParams().names()) {
            List<String> values = context.queryParams().getAll(name);
            boolean nulInName = NulFreeText.containsNul(name);
            if (nulInName || values.stream().anyMatch(NulFreeText::containsNul)) {
                return nulProblem(nulInName ? name.replace("\0", "\\u0000") : name);
            }
        }
        return null;
    }

    private static Problem nulProblem(String parameter) {
        return ProblemException.invalidParameter(parameter, NulFreeText.RULE, NulFreeText.MESSAGE)
                .problem();
    }

    /** Reads the whole body, up to {@code quarkus.http.limits.max-body-size} (a chunked body too). */
    private void readBody(RoutingContext context, java.util.function.Consumer<Buffer> read) {
        HttpServerRequest request = context.request();
        long limit = maxBody.asLongValue();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                tooLarge[0] = true;
                RequestLimits.tooLarge(context, "the body has more than " + limit + " bytes", limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> LOG.debugf("permit request failed while reading: %s", failure));
        request.endHandler(ignored -> {
            if (!tooLarge[0]) {
                read.accept(body);
            }
        });
    }

    /** The request as the JAX-RS reader read it: no body, or only white space, is no request (null). */
    private PermitRequest parse(Buffer body) throws JsonProcessingException {
        if (body.length() == 0) {
            return null;
        }
        try {
            return json.readValue(body.getBytes(), PermitRequest.class);
        } catch (MismatchedInputException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("No content to map due to end-of-input")) {
                return null;
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array does not fail with I/O", e);
        }
    }
}
