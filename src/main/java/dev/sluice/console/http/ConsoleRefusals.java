package dev.sluice.console.http;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused console request as a page saying what was refused and what to do. */
@ApplicationScoped
public class ConsoleRefusals {
    @Inject
    @Location("console/refused")
    Template refused;

    @ServerExceptionMapper
    public Response refused(ConsoleRefusal e) {
        if (e.status == 303) {
            return Response.seeOther(java.net.URI.create(ConsoleAuth.SIGN_IN)).build();
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
