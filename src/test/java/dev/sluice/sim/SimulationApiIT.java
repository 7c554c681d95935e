package dev.sluice.sim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.testing.PlanDocuments;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rehearsing a stored plan over HTTP: the same simulation as the command, for the plan in the path. */
@QuarkusTest
class SimulationApiIT {
    private static final String PLAN = "simulated-kv";
    private static final String URL = "/api/v1/plans/" + PLAN + "/simulate";
    /** Ten minutes after a short outage: quick to simulate. */
    private static final Map<String, Object> SHORT = Map.of(
            "outageSeconds",
            600,
            "tier",
            Map.of("startShare", 0.5, "rampSeconds", 120),
            "simulation",
            Map.of("horizonSeconds", 900, "seed", 7));

    @BeforeEach
    void storeThePlanOnce() {
        if (given().get("/api/v1/plans/" + PLAN).statusCode() == 404) {
            given().contentType(ContentType.JSON)
                    .body(PlanDocuments.referenceJson(PLAN))
                    .post("/api/v1/plans")
                    .then()
                    .statusCode(201);
        }
    }

    @Test
    void aRehearsalComparesThePlanWithTheBaselinesAndShowsSluicesTimeline() {
        given().contentType(ContentType.JSON)
                .body(SHORT)
                .post(URL)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("plan", equalTo(PLAN))
                .body("planVersion", equalTo(1))
                .body("scenario.outageSeconds", equalTo(600.0f))
                .body("scenario.seed", equalTo(7))
                .body("strategies.strategy", hasItem("sluice"))
                .body("strategies.strategy", hasItem("reopen-everything"))
                .body("strategies", hasSize(9))
                .body("targets.name", hasItem(containsString("overload")))
                .body("sluice.stages[0].stage", equalTo("trickle"))
                .body("sluice.timeline.admitted", hasSize(900))
                .body("fluidBoundSeconds", notNullValue());
    }

    @Test
    void theSameRehearsalGivesTheSameAnswer() {
        List<Object> first = given().contentType(ContentType.JSON)
                .body(SHORT)
                .post(URL)
                .then()
                .statusCode(200)
                .extract()
                .path("strategies");
        List<Object> second = given().contentType(ContentType.JSON)
                .body(SHORT)
                .post(URL)
                .then()
                .statusCode(200)
                .extract()
                .path("strategies");
        org.assertj.core.api.Assertions.assertThat(second).isEqualTo(first);
    }

    @Test
    void theChartComesAsSvgWhenAskedFor() {
        given().contentType(ContentType.JSON)
                .accept("image/svg+xml")
                .body(SHORT)
                .post(URL)
                .then()
                .statusCode(200)
                .contentType("image/svg+xml")
                .body(startsWith("<svg"));
    }

    @Test
    void anInvalidScenarioIsAProblemNamingEveryBadField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("tier", Map.of("startShare", 3), "clients", Map.of("retry", Map.of("policy", "hope"))))
                .post(URL)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("invalid-scenario"))
                .body("violations.pointer", contains("/tier/startShare", "/clients/retry/policy"))
                .body("violations.rule", contains("range", "one-of"));
        given().contentType(ContentType.JSON)
                .body("{\"outageSeconds\": \"long\"}")
                .post(URL)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("pointer", equalTo("/outageSeconds"));
        given().contentType(ContentType.JSON)
                .body(Map.of("plan", "other.yaml"))
                .post(URL)
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/plan"));
    }

    @Test
    void aRehearsalThatWouldNotFitTheServersMemoryBudgetIsRefusedWithTheNumbers() {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "clients",
                        Map.of("timeoutSeconds", 3600),
                        "simulation",
                        Map.of("stepMillis", 10, "horizonSeconds", 3600)))
                .post(URL)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("invalid-scenario"))
                .body("violations.pointer", contains("/simulation"))
                .body("violations.rule", contains("memory-budget"))
                .body(
                        "violations[0].message",
                        allOf(
                                containsString("needs ~"),
                                containsString("steps of the longest client timeout (3600 s at 10 ms)"),
                                containsString("the limit is 256 MiB")));
    }

    @Test
    void aRehearsalTakesACapacityScheduleAndAMisstatedCapacity() {
        Map<String, Object> flapping = Map.of(
                "outageSeconds",
                600,
                "tier",
                Map.of(
                        "schedule",
                        List.of(
                                Map.of("atSeconds", 0, "share", 1.0),
                                Map.of("atSeconds", 120, "share", 1.0),
                                Map.of("atSeconds", 120, "share", 0.4),
                                Map.of("atSeconds", 180, "share", 1.0)),
                        "actualCapacityFactor",
                        0.8),
                "simulation",
                Map.of("horizonSeconds", 600, "seed", 7));
        given().contentType(ContentType.JSON)
                .body(flapping)
                .post(URL)
                .then()
                .statusCode(200)
                .body("scenario.tier.actualCapacityFactor", equalTo(0.8f))
                .body("scenario.tier.capacity", containsString("schedule of 4 points"))
                .body("strategies[0].overloadVolume", notNullValue());
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "tier", Map.of("rampSeconds", 60, "schedule", List.of(Map.of("atSeconds", 5, "share", 1.0)))))
                .post(URL)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.pointer", contains("/tier/rampSeconds", "/tier/schedule/0/atSeconds"))
                .body("violations.rule", contains("not-with-schedule", "starts-at-zero"));
    }

    @Test
    void onlyOperatorsRehearseAndOnlyStoredPlans() {
        String viewer = TestTokens.token("sim-viewer", List.of("viewer"), List.of());
        TestTokens.as(viewer)
                .contentType(ContentType.JSON)
                .body(SHORT)
                .post(URL)
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(SHORT)
                .post("/api/v1/plans/no-such-plan/simulate")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
