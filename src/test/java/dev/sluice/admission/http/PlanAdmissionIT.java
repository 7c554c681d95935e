package dev.sluice.admission.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan's admission address over real HTTP: before any run, during one, and after it completed. */
@QuarkusTest
class PlanAdmissionIT {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @Test
    void beforeAnyRunAClosedPlanRefusesWithARetryHint() {
        storePlan(RunPlans.pushPlan("pa-closed"));
        Response refused = given().contentType(ContentType.JSON).post(permits("pa-closed", "a"));
        refused.then()
                .statusCode(429)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:not-admitted"))
                .body("reason", equalTo("no-run"))
                .body("retryAfterMillis", greaterThanOrEqualTo(0))
                .body("detail", containsString("admission.whenNoRun: closed"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L); // spread 2 s, no wait
        assertThat(refused.header("retry-after-ms")).isNotNull();
        lease("pa-closed", "c1").then().statusCode(429).body("reason", equalTo("no-run"));
    }

    @Test
    void beforeAnyRunAnOpenPlanSaysUnrestrictedAndForHowLong() {
        storePlan(RunPlans.pushPlan("pa-open")
                .replace(
                        "\"policy\":",
                        "\"admission\": {\"whenNoRun\": \"open\", \"unrestrictedSeconds\": 45}, \"policy\":"));
        Instant now = clock.instant();
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 7))
                .post(permits("pa-open", "a"))
                .then()
                .statusCode(200)
                .header("Sluice-Unrestricted", equalTo("45"))
                .body("unrestricted", equalTo(true))
                .body("reason", equalTo("no-run"))
                .body("granted", equalTo(7))
                .body("unrestrictedSeconds", equalTo(45))
                .body("unrestrictedUntil", equalTo(now.plusSeconds(45).toString()))
                .body("run", nullValue());
        lease("pa-open", "c1")
                .then()
                .statusCode(200)
                .body("unrestricted", equalTo(true))
                .body("clientId", equalTo("c1"))
                .body("rate", nullValue());
    }

    @Test
    void duringARunThePlanAddressAnswersAsTheRunsOwn() {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("pa-run"), "pa-run", "plan address test");
        RunsOverHttp.fillBuckets(clock, run, "a");
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 40))
                .post(permits("pa-run", "a"))
                .then()
                .statusCode(200)
                .body("granted", equalTo(40))
                .body("remaining", equalTo(60))
                .body("stage", equalTo("quarter"))
                .header("RateLimit-Policy", equalTo("\"a\";q=100;w=1;sluice-burst=100"));
        // one bucket behind both addresses: what the plan's address took, the run's has not
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 60))
                .post("/api/v1/runs/" + run + "/services/a/permits")
                .then()
                .statusCode(200)
                .body("remaining", equalTo(0));
        given().contentType(ContentType.JSON)
                .post(permits("pa-run", "b"))
                .then()
                .statusCode(429)
                .body("reason", equalTo("blocked"));
        lease("pa-run", "c1")
                .then()
                .statusCode(200)
                .body("rate", equalTo(100.0f))
                .body("safeRatePerSecond", equalTo(5.0f));
        given().delete("/api/v1/plans/pa-run/services/a/leases/c1").then().statusCode(204);
        given().delete("/api/v1/plans/pa-run/services/a/leases/c1").then().statusCode(404);
    }

    @Test
    void afterTheRunCompletedAdmissionIsUnrestricted() {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("pa-done"), "pa-done", "plan address test");
        RunsOverHttp.completeWithHealthyReports(clock, ticker, "pa-done", run);
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 100_000))
                .post(permits("pa-done", "a"))
                .then()
                .statusCode(200)
                .header("Sluice-Unrestricted", equalTo("30"))
                .body("unrestricted", equalTo(true))
                .body("reason", equalTo("run-completed"))
                .body("run", equalTo(run))
                .body("unrestrictedSeconds", equalTo(30));
        lease("pa-done", "c1").then().statusCode(200).body("unrestricted", equalTo(true));
        given().delete("/api/v1/plans/pa-done/services/a/leases/c1").then().statusCode(204);
    }

    @Test
    void anAbortedRunKeepsItsFloorAtThePlanAddressAsAtItsOwn() {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("pa-abort"), "pa-abort", "plan address test");
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "tier worse"))
                .post("/api/v1/runs/" + run + "/abort")
                .then()
                .statusCode(200);
        RunsOverHttp.fillBuckets(clock, run, "a");
        Response own = given().contentType(ContentType.JSON).post("/api/v1/runs/" + run + "/services/a/permits");
        Response plans = given().contentType(ContentType.JSON).post(permits("pa-abort", "a"));
        assertThat(plans.statusCode()).isEqualTo(own.statusCode());
        assertThat(plans.jsonPath().getFloat("ratePerSecond"))
                .isEqualTo(own.jsonPath().getFloat("ratePerSecond"))
                .isEqualTo(5.0f); // the plan's safe rate: the floor an abort freezes at
        assertThat(plans.jsonPath().<Object>get("unrestricted")).isNull();
    }

    @Test
    void aClientTokenScopedToTheServiceMayAskAndOthersMayNot() {
        RunsOverHttp.storeAndStart(RunPlans.pushPlan("pa-scope"), "pa-scope", "plan address test");
        String scoped = TestTokens.token("pa-scope-a", List.of("client"), List.of("pa-scope/a"));
        TestTokens.as(scoped)
                .contentType(ContentType.JSON)
                .post(permits("pa-scope", "a"))
                .then()
                .statusCode(200);
        TestTokens.as(scoped)
                .contentType(ContentType.JSON)
                .post(permits("pa-scope", "b"))
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        TestTokens.as(scoped)
                .contentType(ContentType.JSON)
                .post(permits("no-such-plan", "a"))
                .then()
                .statusCode(403); // a token without the scope learns nothing about the plan
        TestTokens.as(TestTokens.operator("pa-scope-op"))
                .contentType(ContentType.JSON)
                .post(permits("pa-scope", "a"))
                .then()
                .statusCode(403);
    }

    @Test
    void unknownPlansAndServicesAreNotFound() {
        storePlan(RunPlans.pushPlan("pa-404"));
        given().contentType(ContentType.JSON)
                .post(permits("pa-404", "zz"))
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .post(permits("pa-none", "a"))
                .then()
                .statusCode(404);
    }

    @Test
    void theNoRunSettingsAreValidatedNamingTheField() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("pa-bad")
                        .replace("\"policy\":", "\"admission\": {\"whenNoRun\": \"ajar\"}, \"policy\":"))
                .post("/api/v1/plans")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString("closed, open"));
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("pa-bad")
                        .replace("\"policy\":", "\"admission\": {\"unrestrictedSeconds\": 0}, \"policy\":"))
                .post("/api/v1/plans")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/admission/unrestrictedSeconds"))
                .body("violations[0].rule", equalTo("range"));
    }

    private static void storePlan(String json) {
        given().contentType(ContentType.JSON)
                .body(json)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
    }

    private static Response lease(String plan, String client) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("clientId", client, "wantPerSecond", 100))
                .post("/api/v1/plans/" + plan + "/services/a/leases");
    }

    private static String permits(String plan, String service) {
        return "/api/v1/plans/" + plan + "/services/" + service + "/permits";
    }
}
