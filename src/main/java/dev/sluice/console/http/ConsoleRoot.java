package dev.sluice.console.http;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The server's root opens the console: one address to remember during an outage. */
@Path("/")
@PermitAll
public class ConsoleRoot {
    @Operation(hidden = true)
    @GET
    public Response root() {
        return Response.seeOther(URI.create("/console")).build();
    }
}
