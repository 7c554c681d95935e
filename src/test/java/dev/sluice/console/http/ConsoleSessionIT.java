package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's session, CSRF and role checks, over real HTTP without a browser. */
@QuarkusTest
class ConsoleSessionIT {
    @Inject
    MutableClock clock;

    @Inject
    ConsoleSessions sessions;

    @Test
    void signingInExchangesTheTokenForAnHttpOnlyStrictSessionCookie() {
        String token = TestTokens.operator("console-olga");
        Response signedIn = ConsoleForms.signInResponse(token);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.header("Location")).endsWith("/console");
        Cookie cookie = signedIn.getDetailedCookie(ConsoleAuth.COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(cookie.getPath()).isEqualTo("/console");
        assertThat(cookie.isSecured())
                .as("plain HTTP here: Secure only over TLS")
                .isFalse();
        assertThat(cookie.getValue()).doesNotContain(token);
        given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, cookie.getValue())
                .get("/console")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Cache-Control", "no-store")
                .body(containsString("console-olga"))
                .body(not(containsString(token)));
    }

    @Test
    void pagesWithoutASessionSendTheBrowserToSignInAndFragmentsAnswer401() {
        given().redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console/sign-in"));
        given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, "made-up")
                .get("/console/live/overview")
                .then()
                .statusCode(401);
        given().redirects()
                .follow(false)
                .get("/")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console"));
    }

    @Test
    void signInRefusesAFormWithoutItsCsrfCookieAndAnInvalidToken() {
        Response forged = given().redirects()
                .follow(false)
                .formParam("csrf", "guessed")
                .formParam("token", TestTokens.operator("console-olga"))
                .post("/console/sign-in");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.asString()).contains("CSRF");
        assertThat(forged.getCookie(ConsoleAuth.COOKIE)).isNull();
        Response refused = ConsoleForms.signInResponse("slc_nothere_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.asString()).contains("not valid");
        assertThat(refused.getCookie(ConsoleAuth.COOKIE)).isNull();
        Response client =
                ConsoleForms.signInResponse(TestTokens.token("console-carl", List.of("client"), List.of("*")));
        assertThat(client.statusCode()).isEqualTo(403);
        assertThat(client.asString()).contains("needs the viewer role");
        assertThat(client.getCookie(ConsoleAuth.COOKIE)).isNull();
    }

    @Test
    void anOperatorsActionIsCommittedThroughTheRunCommandsAndAuditedWithTheTokensName() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-act"), "console-act", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        Response preview = ConsoleForms.post(
                s, "/console/runs/" + id + "/preview", s.csrf(), "action", "pause", "reason", "checking the cache");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.asString()).contains("pause: status running → paused; budget stays 100.0/s");
        given().get("/api/v1/runs/" + id).then().body("status", equalTo("running"));

        Response done = ConsoleForms.post(
                s, "/console/runs/" + id + "/act", s.csrf(), "action", "pause", "reason", "checking the cache");
        assertThat(done.statusCode()).isEqualTo(303);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("status", equalTo("paused"))
                .body("pauseReason", equalTo("checking the cache"))
                .body("timeline[-1].actor", equalTo("console-oscar"))
                .body("timeline[-1].reason", equalTo("checking the cache"));
    }

    @Test
    void aRefusedActionShowsTheApisMessageAndChangesNothing() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-409"), "console-409", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        int version = given().get("/api/v1/runs/" + id).then().extract().path("version");
        Response refused = ConsoleForms.post(
                s, "/console/runs/" + id + "/act", s.csrf(), "action", "resume", "reason", "resume it");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.asString()).contains("cannot resume a running run");
        Response noReason =
                ConsoleForms.post(s, "/console/runs/" + id + "/act", s.csrf(), "action", "pause", "reason", " ");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.asString()).contains("id=\"reason-error\"");
        given().get("/api/v1/runs/" + id)
                .then()
                .body("status", equalTo("running"))
                .body("version", equalTo(version));
    }

    @Test
    void aFormPostWithoutTheSessionsCsrfTokenIsRefused() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-csrf"), "console-csrf", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        ConsoleForms.Session other = ConsoleForms.signIn(TestTokens.operator("console-olga"));
        for (String csrf : new String[] {null, "", other.csrf()}) {
            Response r =
                    ConsoleForms.post(s, "/console/runs/" + id + "/act", csrf, "action", "abort", "reason", "forged");
            assertThat(r.statusCode()).as("csrf %s", csrf).isEqualTo(403);
        }
        given().get("/api/v1/runs/" + id).then().body("status", equalTo("running"));
    }

    @Test
    void aViewerSeesNoEnabledActionAndIsRefusedWhenPostingTheFormAnyway() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-viewer"), "console-viewer", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-vera", List.of("viewer"), List.of()));
        String page = given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console/runs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("id=\"no-actions\"").doesNotContain("/preview\"");
        assertThat(page.split("<button type=\"button\" disabled", -1)).hasSize(6);
        for (String path : new String[] {"/preview", "/act"}) {
            Response r = ConsoleForms.post(
                    s, "/console/runs/" + id + path, s.csrf(), "action", "abort", "reason", "viewer tries");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.asString()).contains("may not act on runs");
        }
        given().get("/api/v1/runs/" + id).then().body("status", equalTo("running"));
    }

    @Test
    void signingOutEndsTheSession() {
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        Response out = ConsoleForms.post(s, "/console/sign-out", s.csrf());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.getDetailedCookie(ConsoleAuth.COOKIE).getMaxAge()).isZero();
        given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console")
                .then()
                .statusCode(303);
    }

    @Test
    void aSessionExpiresAfterItsTimeToLive() {
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        clock.advance(sessions.ttl().minusSeconds(1));
        given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console")
                .then()
                .statusCode(200);
        clock.advance(Duration.ofSeconds(1));
        given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console")
                .then()
                .statusCode(303);
    }
}
