package dev.sluice.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Permits and leases over real HTTP, on runs of the push plan (a: 100/s admitted; b blocked by a). */
@QuarkusTest
class AdmissionApiIT {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    MutableClock clock;

    @Inject
    AdmissionRegistry admission;

    @Test
    void grantsWithinTheRateThenRefusesWithAJitteredRetryAfter() {
        String run = startRun("adm-rate", RunPlans.pushPlan("adm-rate"));
        given().contentType(ContentType.JSON)
                .post(permits(run, "a"))
                .then()
                .statusCode(200)
                .body("granted", equalTo(1))
                .body("remaining", equalTo(99))
                .body("ratePerSecond", equalTo(100.0f))
                .body("stage", equalTo("quarter"));
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 99))
                .post(permits(run, "a"))
                .then()
                .statusCode(200)
                .body("remaining", equalTo(0));
        Response refused = given().contentType(ContentType.JSON).post(permits(run, "a"));
        refused.then()
                .statusCode(429)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:not-admitted"))
                .body("reason", equalTo("over-rate"))
                .body("stage", equalTo("quarter"))
                .body("retryAfterMillis", greaterThanOrEqualTo(10))
                .body("detail", containsString("over its rate of 100.0/s"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3L); // 10 ms wait + up to 2 s of jitter (retryAfterSeconds), rounded up
        clock.advance(java.time.Duration.ofMillis(10));
        given().contentType(ContentType.JSON).post(permits(run, "a")).then().statusCode(200);
    }

    @Test
    void answersCarryRateLimitFieldsAndRefusalsTheMillisecondWait() {
        String run = startRun("adm-fields", RunPlans.pushPlan("adm-fields"));
        given().contentType(ContentType.JSON)
                .post(permits(run, "a"))
                .then()
                .statusCode(200)
                .header("RateLimit-Policy", equalTo("\"a\";q=100;w=1;sluice-burst=100"))
                .header("RateLimit", equalTo("\"a\";r=99;t=1"));
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 99))
                .post(permits(run, "a"))
                .then()
                .statusCode(200);
        Response refused = given().contentType(ContentType.JSON).post(permits(run, "a"));
        refused.then()
                .statusCode(429)
                .header("RateLimit-Policy", equalTo("\"a\";q=100;w=1;sluice-burst=100"))
                // The effective window ends with Retry-After, never after it.
                .header("RateLimit", equalTo("\"a\";r=0;t=" + refused.header("Retry-After")));
        assertThat(Long.parseLong(refused.header("retry-after-ms")))
                .isEqualTo(refused.<Integer>path("retryAfterMillis").longValue())
                .isBetween(10L, 2_010L);
        given().contentType(ContentType.JSON)
                .post(permits(run, "b"))
                .then()
                .statusCode(429)
                .header("RateLimit-Policy", equalTo("\"b\";q=0;w=1;sluice-burst=0"))
                .header("retry-after-ms", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aStatedWantIsValidatedNamingTheField() {
        String run = startRun("adm-want", RunPlans.pushPlan("adm-want"));
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "c1", "wantPerSecond", 300, "backlog", 5000))
                .post(permits(run, "a"))
                .then()
                .statusCode(200);
        for (Object[] bad : new Object[][] {
            {Map.of("wantPerSecond", 300), "/clientId"},
            {Map.of("clientId", "", "backlog", 10), "/clientId"},
            {Map.of("clientId", "c1", "wantPerSecond", -1), "/wantPerSecond"},
            {Map.of("clientId", "c1", "wantPerSecond", 2e9), "/wantPerSecond"},
            {Map.of("clientId", "c1", "backlog", -5), "/backlog"},
            {Map.of("clientId", "c1", "backlog", 1e13), "/backlog"}
        }) {
            given().contentType(ContentType.JSON)
                    .body(bad[0])
                    .post(permits(run, "a"))
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("violations[0].pointer", equalTo(bad[1]));
        }
        given().get("/api/v1/runs/" + run + "/services/a/admission").then().body("statedWants", equalTo(1));
    }

    @Test
    void aBlockedServiceIsRefusedNamingWhatItWaitsFor() {
        String run = startRun("adm-blocked", RunPlans.pushPlan("adm-blocked"));
        given().contentType(ContentType.JSON)
                .post(permits(run, "b"))
                .then()
                .statusCode(429)
                .contentType(PROBLEM)
                .body("reason", equalTo("blocked"))
                .body("blockedBy", contains("a"))
                .body("detail", containsString("blocked by dependency a"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void unknownRunOrServiceIsNotFoundAndBadCountsAreBadRequests() {
        String run = startRun("adm-404", RunPlans.pushPlan("adm-404"));
        given().contentType(ContentType.JSON)
                .post(permits("no-such-run", "a"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON)
                .post(permits(run, "zzz"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 0))
                .post(permits(run, "a"))
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/count"));
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 101))
                .post(permits(run, "a"))
                .then()
                .statusCode(400)
                .body("violations[0].rule", equalTo("max-burst"));
    }

    @Test
    void anOverrideReachesTheBucketOnTheNextRequest() {
        String run = startRun("adm-pin", RunPlans.pushPlan("adm-pin"));
        given().contentType(ContentType.JSON)
                .body(Map.of("ratePerSecond", 10, "durationSeconds", 600, "reason", "gently"))
                .put("/api/v1/runs/" + run + "/overrides/a")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 10))
                .post(permits(run, "a"))
                .then()
                .statusCode(200)
                .body("ratePerSecond", equalTo(10.0f));
        given().contentType(ContentType.JSON)
                .post(permits(run, "a"))
                .then()
                .statusCode(429)
                .body("reason", equalTo("over-rate"));
    }

    @Test
    void leasesShareTheAllocationFairlyAndExpire() {
        String run = startRun("adm-lease", RunPlans.pushPlan("adm-lease"));
        lease(run, "c1", 80).then().statusCode(200).body("rate", equalTo(80.0f)).body("burst", equalTo(80));
        lease(run, "c2", 80).then().statusCode(200).body("rate", equalTo(20.0f));
        given().contentType(ContentType.JSON)
                .post(permits(run, "a"))
                .then()
                .statusCode(429)
                .body("reason", equalTo("no-allocation"));
        clock.advanceSeconds(5);
        lease(run, "c1", 80).then().body("rate", equalTo(50.0f)); // its fair half; c2 still holds only 20
        lease(run, "c2", 80).then().body("rate", equalTo(50.0f));
        given().get("/api/v1/runs/" + run + "/services/a/admission")
                .then()
                .body("liveLeases", equalTo(2))
                .body("leasedPerSecond", equalTo(100.0f));
        clock.advanceSeconds(11);
        admission.refresh();
        given().get("/api/v1/runs/" + run + "/services/a/admission").then().body("liveLeases", equalTo(0));
        given().contentType(ContentType.JSON).post(permits(run, "a")).then().statusCode(200);
        given().delete("/api/v1/runs/" + run + "/services/a/leases/c9").then().statusCode(404);
        lease(run, "", 10).then().statusCode(400).body("violations[0].pointer", equalTo("/clientId"));
    }

    @Test
    void exactModeAdmitsThroughOneSharedBucketAndOffersNoLeases() {
        String plan = RunPlans.pushPlan("adm-exact")
                .replace("\"policy\":", "\"admission\": {\"mode\": \"exact\"}, \"policy\":");
        String run = startRun("adm-exact", plan);
        // The shared bucket is created in PostgreSQL by its first request, holding one permit.
        given().contentType(ContentType.JSON).post(permits(run, "a")).then().statusCode(200);
        given().contentType(ContentType.JSON).post(permits(run, "a")).then().statusCode(429);
        clock.advanceSeconds(1);
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 100))
                .post(permits(run, "a"))
                .then()
                .statusCode(200)
                .body("remaining", equalTo(0));
        given().contentType(ContentType.JSON)
                .post(permits(run, "a"))
                .then()
                .statusCode(429)
                .body("reason", equalTo("over-rate"));
        lease(run, "c1", 10).then().statusCode(409).contentType(PROBLEM).body("detail", containsString("exact mode"));
    }

    private static Response lease(String run, String client, double want) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("clientId", client, "wantPerSecond", want))
                .post("/api/v1/runs/" + run + "/services/a/leases");
    }

    private static String permits(String run, String service) {
        return "/api/v1/runs/" + run + "/services/" + service + "/permits";
    }

    /** Starts a run and lets a second pass after this replica has loaded its admission. */
    private String startRun(String name, String planJson) {
        given().contentType(ContentType.JSON)
                .body(planJson)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("plan", name, "reason", "admission test"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // This replica loads the run's admission on first use; new buckets hold one permit, so a
        // second later they hold a second of their rate.
        given().get("/api/v1/runs/" + id + "/services/a/admission").then().statusCode(200);
        clock.advanceSeconds(1);
        return id;
    }
}
