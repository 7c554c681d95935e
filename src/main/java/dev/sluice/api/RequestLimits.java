package dev.sluice.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The longest request target Sluice serves, {@value #MAX_URL_CHARS} characters: a longer one is a
 * {@code 414} problem, answered before any route, for every path ({@code /api}, {@code /q}).
 *
 * <p>Vert.x itself answers a request line it will not decode with a bare {@code 414} (no body, and
 * Quarkus offers no hook for Vert.x's invalid-request handler), so its decoding limit ({@code
 * quarkus.http.limits.max-initial-line-length}) is set well above this one: only a request line
 * over that (64 KiB) still gets Vert.x's answer.
 */
@Singleton
public class UrlLimit {
    public static final int MAX_URL_CHARS = 4096;

    /** Before authentication and every other filter: nothing is done for such a request. */
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() <= MAX_URL_CHARS) {
            context.next();
            return;
        }
        Problem problem = Problem.of(
                        414,
                        "uri-too-long",
                        "URI too long",
                        "the request target has " + uri.length() + " characters; at most " + MAX_URL_CHARS
                                + " are served")
                .with("limit", MAX_URL_CHARS);
        RouteProblems.end(context, problem, java.util.Map.of("Connection", "close"));
    }
}
