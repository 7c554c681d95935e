package dev.sluice.console.http;

import dev.sluice.access.http.RefusalAudit;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused console request as a page saying what was refused and what to do. */
@ApplicationScoped
public class ConsoleRefusals {
    @Inject
    @Location("console/refused")
    Template refused;

    @Inject
    RefusalAudit audit;

    @Inject
    ConsoleAuth auth;

    /**
     * A refused form post (no session, a CSRF token that does not match, a role missing) is audited
     * as {@code access-denied} like a refused API call, with the session's token name when there is
     * one (else {@code anonymous}), the call and the reason; refused page reads are not, as the API
     * does not audit what a viewer may read.
     */
    @ServerExceptionMapper
    public Response refused(ConsoleRefusal e, HttpHeaders headers, UriInfo uri, Request request) {
        if (e.status == 303) {
            return Response.seeOther(java.net.URI.create(ConsoleAuth.SIGN_IN)).build();
        }
        if ("POST".equals(request.getMethod()) && (e.status == 401 || e.status == 403)) {
            String actor = auth.caller(headers).map(ConsoleCaller::name).orElse("anonymous");
            audit.refused(actor, "POST " + uri.getPath(), e.status, e.getMessage());
        }
        return page(e.status, e.getMessage(), e.hint);
    }

    Response page(int status, String message, String hint) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(refused.data("caller", null)
                        .data("status", status)
                        .data("message", message)
                        .data("hint", hint)
                        .render())
                .build();
    }
}
