package dev.sluice.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits answered as problems before any route, for every path ({@code /api}, {@code /q}): the
 * longest request target Sluice serves, {@value #MAX_URL_CHARS} characters (a longer one is a
 * {@code 414}), and a declared body over {@code quarkus.http.limits.max-body-size} (a {@code 413};
 * Vert.x would answer it with no body).
 *
 * <p>Vert.x itself answers a request line it will not decode with a bare {@code 414} (no body, and
 * Quarkus offers no hook for Vert.x's invalid-request handler), so its decoding limit ({@code
 * quarkus.http.limits.max-initial-line-length}) is set well above this one: only a request line
 * over that (64 KiB) still gets Vert.x's answer.
 */
@Singleton
public class RequestLimits {
    public static final int MAX_URL_CHARS = 4096;

    /** Before authentication and every other filter: nothing is done for such a request. */
    private static final int PRIORITY = 10_000;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() <= MAX_URL_CHARS) {
            checkBody(context);
            return;
        }
        Problem problem = Problem.of(
                        414,
                        "uri-too-long",
                        "URI too long",
                        "the request target has " + uri.length() + " characters; at most " + MAX_URL_CHARS
                                + " are served")
                .with("limitCharacters", MAX_URL_CHARS);
        RouteProblems.end(context, problem, java.util.Map.of("Connection", "close"));
    }

    private void checkBody(RoutingContext context) {
        String declared = context.request().getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1; // Vert.x refuses a malformed length itself
        }
        if (length <= maxBody.asLongValue()) {
            context.next();
            return;
        }
        tooLarge(context, "the body has " + length + " bytes", maxBody.asLongValue());
    }

    /**
     * Answers a body over the limit ({@code what}: how large it is, as far as known) and closes the
     * connection: here for a declared length, and by a route that reads a body itself for a chunked
     * one.
     */
    public static void tooLarge(RoutingContext context, String what, long limitBytes) {
        Problem problem = Problem.of(
                        413, "too-large", "Content too large", what + "; at most " + limitBytes + " are read")
                .with("limitBytes", limitBytes);
        RouteProblems.end(context, problem, java.util.Map.of("Connection", "close"));
    }
}
