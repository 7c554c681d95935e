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
        assertThat(page.split("<button type=\"button\" disabled", -1))
                .as("five run actions and the two override buttons, all disabled")
                .hasSize(8);
        for (String path : new String[] {"/preview", "/act"}) {
            Response r = ConsoleForms.post(
                    s, "/console/runs/" + id + path, s.csrf(), "action", "abort", "reason", "viewer tries");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.asString()).contains("may not act on runs");
        }
        Response pin = ConsoleForms.post(
                s,
                "/console/runs/" + id + "/act",
                s.csrf(),
                "action",
                "override",
                "service",
                "a",
                "ratePerSecond",
                "1",
                "durationSeconds",
                "60",
                "reason",
                "viewer pins");
        assertThat(pin.statusCode()).isEqualTo(403);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("status", equalTo("running"))
                .body("services[0].override", org.hamcrest.Matchers.nullValue());
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

    @Inject
    dev.sluice.control.run.RunTicker ticker;

    @Inject
    dev.sluice.control.run.RunHistory history;

    @Inject
    jakarta.persistence.EntityManager em;

    @Test
    void theRunPageChartsTheHistoryTheTicksWroteAtMostOneSamplePerTick() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-chart"), "console-chart", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-vic", List.of("viewer"), List.of()));
        String before = page(s, "/console/runs/" + id);
        assertThat(before).contains("id=\"no-chart\"").doesNotContain("id=\"run-chart\"");
        int ticks = 0;
        while (ticks < 30 && history.of(id).stream().noneMatch(x -> x.budgetPerSecond() == 200.0)) {
            report("console-chart", 0.0);
            clock.advanceSeconds(1);
            ticker.tick(id);
            ticks++;
        }
        java.util.List<dev.sluice.control.RunSample> samples = history.of(id);
        assertThat(samples)
                .as("the next stage's budget was sampled within 30 healthy ticks")
                .anyMatch(x -> x.budgetPerSecond() == 200.0);
        // The start is sampled too (a transition); then at most one per tick.
        assertThat(samples.size()).isBetween(3, ticks + 1);
        assertThat(samples)
                .extracting(dev.sluice.control.RunSample::at)
                .isSorted()
                .doesNotHaveDuplicates();
        String after = page(s, "/console/runs/" + id);
        assertThat(after)
                .contains("id=\"run-chart\"", "id=\"line-budget\"", "id=\"line-admitted\"")
                .contains("id=\"eta\"")
                .contains("Control loop led by:");
        String live = given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console/live/runs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(live).contains("id=\"run-chart\"");
    }

    @Test
    void samplesOlderThanTheRetentionAreDeleted() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-retain"), "console-retain", "tier is back");
        assertThat(history.of(id)).isNotEmpty();
        clock.advance(Duration.ofDays(31));
        try {
            assertThat(history.deleteOlderThanRetention()).isPositive();
            assertThat(history.of(id)).isEmpty();
        } finally {
            given().contentType(io.restassured.http.ContentType.JSON)
                    .body(java.util.Map.of("reason", "done with it"))
                    .post("/api/v1/runs/" + id + "/abort")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void anOperatorPinsAServicesRateFromTheConsoleWithAPreviewAndTheApiSeesIt() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-pin"), "console-pin", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-pia"));
        String[] fields = {
            "action", "override", "service", "a", "ratePerSecond", "40", "durationSeconds", "600", "reason", "a is hot"
        };
        Response preview = ConsoleForms.post(s, "/console/runs/" + id + "/preview", s.csrf(), fields);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.asString())
                .contains("override a: a&#39;s allocation 100.0/s → 40.0/s, pinned for 600 s")
                .contains("name=\"ratePerSecond\" value=\"40.0\"");
        given().get("/api/v1/runs/" + id).then().body("services[0].override", org.hamcrest.Matchers.nullValue());
        Response done = ConsoleForms.post(s, "/console/runs/" + id + "/act", s.csrf(), fields);
        assertThat(done.statusCode()).isEqualTo(303);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("services[0].override.ratePerSecond", equalTo(40.0f))
                .body("services[0].override.actor", equalTo("console-pia"))
                .body("timeline[-1].action", equalTo("override-set"))
                .body("timeline[-1].actor", equalTo("console-pia"))
                .body("timeline[-1].reason", containsString("a is hot"));
        Response cleared = ConsoleForms.post(
                s,
                "/console/runs/" + id + "/act",
                s.csrf(),
                "action",
                "clear-override",
                "service",
                "a",
                "reason",
                "cooled down");
        assertThat(cleared.statusCode()).isEqualTo(303);
        given().get("/api/v1/runs/" + id).then().body("services[0].override", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anOverrideOutOfRangeIsShownAtItsFieldAndNothingIsApplied() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-pin-bad"), "console-pin-bad", "back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-pia"));
        int version = given().get("/api/v1/runs/" + id).then().extract().path("version");
        for (String path : new String[] {"/preview", "/act"}) {
            Response r = ConsoleForms.post(
                    s,
                    "/console/runs/" + id + path,
                    s.csrf(),
                    "action",
                    "override",
                    "service",
                    "a",
                    "ratePerSecond",
                    "-5",
                    "durationSeconds",
                    "600",
                    "reason",
                    "oops");
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.asString())
                    .contains("id=\"ratePerSecond-error\"")
                    .contains("must be a finite number, 0 or more");
        }
        Response tooLong = ConsoleForms.post(
                s,
                "/console/runs/" + id + "/preview",
                s.csrf(),
                "action",
                "override",
                "service",
                "a",
                "ratePerSecond",
                "5",
                "durationSeconds",
                "999999",
                "reason",
                "oops");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.asString()).contains("id=\"durationSeconds-error\"");
        given().get("/api/v1/runs/" + id).then().body("version", equalTo(version));
    }

    @Test
    void refusedConsolePostsAreAuditedLikeRefusedApiCalls() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-refused"), "console-refused", "back");
        ConsoleForms.Session viewer =
                ConsoleForms.signIn(TestTokens.token("console-refused-viewer", List.of("viewer"), List.of()));
        ConsoleForms.Session operator = ConsoleForms.signIn(TestTokens.operator("console-refused-csrf"));
        assertThat(ConsoleForms.post(
                                viewer, "/console/runs/" + id + "/act", viewer.csrf(), "action", "abort", "reason", "x")
                        .statusCode())
                .isEqualTo(403);
        assertThat(ConsoleForms.post(
                                operator, "/console/runs/" + id + "/act", "forged", "action", "abort", "reason", "x")
                        .statusCode())
                .isEqualTo(403);
        org.awaitility.Awaitility.await("the refusals are audited")
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    assertThat(deniedOf("console-refused-viewer")).anySatisfy(e -> {
                        assertThat(e.get("subject")).isEqualTo("POST /console/runs/" + id + "/act");
                        assertThat(e.get("to")).isEqualTo("403");
                        assertThat(e.get("reason")).asString().contains("may not act on runs");
                    });
                    assertThat(deniedOf("console-refused-csrf"))
                            .anySatisfy(
                                    e -> assertThat(e.get("reason")).asString().contains("CSRF"));
                });
        given().get("/api/v1/runs/" + id).then().body("status", equalTo("running"));
    }

    private static List<java.util.Map<String, Object>> deniedOf(String actor) {
        return given().queryParam("action", "access-denied")
                .queryParam("actor", actor)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
    }

    private static String page(ConsoleForms.Session s, String path) {
        return given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static void report(String plan, double errorRatio) {
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("source", "reports", "errorRatio", errorRatio))
                .post("/api/v1/plans/" + plan + "/health-reports")
                .then()
                .statusCode(202);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void aRunPagesEventStreamSignalsACommittedChangeWithTheRunsNewVersion() throws Exception {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-sse"), "console-sse", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-sue", List.of("viewer"), List.of()));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "console/live/runs/" + id + "/events"))
                        .header("Cookie", ConsoleAuth.COOKIE + "=" + s.cookie())
                        .header("Accept", "text/event-stream")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            int version = given().get("/api/v1/runs/" + id).then().extract().path("version");
            java.util.Iterator<String> lines = stream.body().iterator();
            assertThat(nextData(lines)).as("the version as the stream opened").isEqualTo(version);
            java.util.concurrent.CompletableFuture<Integer> next =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> nextData(lines));
            given().contentType(io.restassured.http.ContentType.JSON)
                    .body(java.util.Map.of("reason", "look at the stream"))
                    .post("/api/v1/runs/" + id + "/pause")
                    .then()
                    .statusCode(200);
            assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).isGreaterThan(version);
        } finally {
            stream.body().close();
        }
        given().redirects()
                .follow(false)
                .get("/console/live/runs/" + id + "/events")
                .then()
                .statusCode(401);
    }

    private static int nextData(java.util.Iterator<String> lines) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                return Integer.parseInt(line.substring("data:".length()).trim());
            }
        }
        throw new AssertionError("the event stream ended");
    }
}
