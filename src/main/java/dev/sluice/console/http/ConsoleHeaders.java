package dev.sluice.console.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Console pages load scripts and styles from this origin only (no inline script or style), cannot
 * be framed, post forms only here, and are never cached (they show live state and a CSRF token).
 */
@Provider
public class ConsoleHeaders implements ContainerResponseFilter {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/console") && !path.equals("/")) {
            return;
        }
        response.getHeaders().putSingle("Content-Security-Policy", CSP);
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }
}
