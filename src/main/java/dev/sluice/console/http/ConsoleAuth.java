package dev.sluice.console.http;

import dev.sluice.access.store.TokenStore;
import dev.sluice.domain.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/**
 * Who a console request comes from: its session cookie, the session's token re-verified by the
 * token store (a revoked token ends the session), and the checks every form post passes: the
 * session's CSRF token, and the role the action needs. The roles are checked here, on the server,
 * whatever the page showed.
 */
@ApplicationScoped
public class ConsoleAuth {
    static final String COOKIE = "sluice_session";
    static final String SIGN_IN = "/console/sign-in";

    @Inject
    ConsoleSessions sessions;

    @Inject
    TokenStore tokens;

    /** The signed-in caller, if any. */
    Optional<ConsoleCaller> caller(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        Optional<ConsoleSessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Optional<TokenStore.Caller> token = tokens.verify(session.get().token());
        if (token.isEmpty()) {
            sessions.close(session.get().id());
            return Optional.empty();
        }
        return Optional.of(new ConsoleCaller(session.get(), token.get()));
    }

    /** The signed-in caller of a page; anyone else is sent to sign in. */
    ConsoleCaller page(HttpHeaders headers) {
        return reader(caller(headers).orElseThrow(() -> new ConsoleRefusal(303, "not signed in", "sign in")));
    }

    /** The signed-in caller of a live fragment; anyone else gets 401 (the page's script signs in again). */
    ConsoleCaller fragment(HttpHeaders headers) {
        return reader(caller(headers).orElseThrow(() -> new ConsoleRefusal(401, "not signed in", "sign in again")));
    }

    /** Every console page shows runs or plans: the viewer role (which every role but client includes). */
    static ConsoleCaller reader(ConsoleCaller c) {
        if (!c.token().roles().contains(Role.VIEWER)) {
            throw new ConsoleRefusal(
                    403,
                    "token " + c.name() + " (" + c.roles() + ") may not read runs or plans",
                    "the console needs a token with the viewer role or above");
        }
        return c;
    }

    /** The signed-in caller of a form post whose CSRF token matches the session's. */
    ConsoleCaller form(HttpHeaders headers, String csrf) {
        ConsoleCaller c =
                reader(caller(headers).orElseThrow(() -> new ConsoleRefusal(401, "not signed in", "sign in again")));
        if (!c.session().csrfMatches(csrf)) {
            throw new ConsoleRefusal(
                    403, "this form's CSRF token does not match your session", "reload the page and try again");
        }
        return c;
    }

    static NewCookie sessionCookie(String value, long maxAgeSeconds, UriInfo uri) {
        return new NewCookie.Builder(COOKIE)
                .value(value)
                .path("/console")
                .httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) maxAgeSeconds)
                .build();
    }
}
