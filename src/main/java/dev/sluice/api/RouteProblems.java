package dev.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.domain.Json;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers a problem from a Vert.x route or filter, for refusals made before JAX-RS sees a request
 * (there {@link ProblemResponses} does it): the same body and media type.
 */
public final class RouteProblems {
    private RouteProblems() {}

    /** The request path with percent-escapes decoded, as a problem's {@code instance} names it. */
    public static String decodedPath(RoutingContext context) {
        return io.vertx.core.net.impl.URIDecoder.decodeURIComponent(context.normalizedPath(), false);
    }

    public static void end(RoutingContext context, Problem problem, Map<String, String> headers) {
        String body;
        try {
            body = Json.mapper().writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serializes", e);
        }
        // Written in one order, by name: the headers come in a Map.of, whose order changes from one
        // JVM to the next, and an answer that reads differently on every start is no contract.
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.put("Content-Type", Problem.MEDIA_TYPE);
        all.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        context.response().setStatusCode(problem.status());
        all.forEach(context.response()::putHeader);
        context.response().end(body);
    }
}
