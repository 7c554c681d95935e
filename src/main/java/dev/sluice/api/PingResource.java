package dev.sluice.api;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/ping}: reachability for clients, and the baseline of the HTTP benchmark. */
@Path("/api/v1/ping")
@jakarta.annotation.security.PermitAll
public class PingResource {
    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public String ping() {
        return "pong";
    }
}
