package dev.sluice.console.http;

import dev.sluice.access.store.TokenStore;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.security.MessageDigest;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Signing in to the console with an API token, and out. The token is posted once, exchanged for a
 * session cookie, and never written into a page or a URL. The sign-in form carries its own CSRF
 * token (a cookie and a field that must match), so no other site can sign a browser in.
 */
@Path("/console")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleSignIn {
    static final String SIGN_IN_CSRF = "sluice_sign_in";

    @Inject
    dev.sluice.access.http.RefusalAudit refusals;

    @Inject
    @Location("console/sign-in")
    Template page;

    @Inject
    ConsoleAuth auth;

    @Inject
    ConsoleSessions sessions;

    @Inject
    TokenStore tokens;

    @Context
    UriInfo uri;

    @Operation(hidden = true)
    @GET
    @Path("sign-in")
    public Response form() {
        return form(200, null);
    }

    private Response form(int status, String error) {
        String csrf = ConsoleSessions.randomId();
        NewCookie cookie = new NewCookie.Builder(SIGN_IN_CSRF)
                .value(csrf)
                .path("/console/sign-in")
                .httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(3600)
                .build();
        return Response.status(status)
                .cookie(cookie)
                .entity(page.data("caller", null)
                        .data("csrf", csrf)
                        .data("error", error)
                        .render())
                .build();
    }

    @Operation(hidden = true)
    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(
            @Context HttpHeaders headers, @FormParam("token") String token, @FormParam("csrf") String csrf) {
        Cookie expected = headers.getCookies().get(SIGN_IN_CSRF);
        if (expected == null
                || csrf == null
                || !MessageDigest.isEqual(expected.getValue().getBytes(), csrf.getBytes())) {
            throw new ConsoleRefusal(
                    403, "the sign-in form's CSRF token does not match", "open the sign-in page again");
        }
        if (token == null || token.isBlank()) {
            return form(400, "paste an API token (slc_…)");
        }
        java.util.Optional<TokenStore.Caller> caller = tokens.verify(token.trim());
        if (caller.isEmpty()) {
            refusals.refused("anonymous", "POST " + ConsoleAuth.SIGN_IN, 401, "sign-in with a token that is not valid");
            return form(401, "that token is not valid (unknown, malformed or revoked)");
        }
        if (!caller.get().roles().contains(dev.sluice.domain.Role.VIEWER)) {
            refusals.refused(caller.get().name(), "POST " + ConsoleAuth.SIGN_IN, 403, "sign-in with a client token");
            return form(
                    403,
                    "token " + caller.get().name() + " is a client token: the console needs the viewer role or above");
        }
        ConsoleSessions.Session s = sessions.open(token.trim());
        return Response.seeOther(URI.create("/console"))
                .cookie(ConsoleAuth.sessionCookie(s.id(), sessions.ttl().getSeconds(), uri))
                .build();
    }

    @Operation(hidden = true)
    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@Context HttpHeaders headers, @FormParam("csrf") String csrf) {
        ConsoleCaller c = auth.form(headers, csrf);
        sessions.close(c.session().id());
        return Response.seeOther(URI.create(ConsoleAuth.SIGN_IN))
                .cookie(ConsoleAuth.sessionCookie("", 0, uri))
                .build();
    }
}
