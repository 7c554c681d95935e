package dev.sluice.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunsApiIT {
    private static final String RUNS = "/api/v1/runs";
    private static final String PROBLEM = "application/problem+json";

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    @Test
    void startingARunAnswersItsStatus() {
        createPlan("run-start");
        String id = TestTokens.as(TestTokens.operator("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("plan", "run-start", "reason", "kv store is back"))
                .when()
                .post(RUNS)
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/runs/"))
                .body("status", equalTo("running"))
                .body("stage.name", equalTo("quarter"))
                .body("stage.budgetPerSecond", equalTo(100.0f))
                .body("services.find { it.name == 'a' }.status", equalTo("admitting"))
                .body("services.find { it.name == 'a' }.allocationPerSecond", equalTo(100.0f))
                .body("services.find { it.name == 'b' }.status", equalTo("blocked"))
                .body("services.find { it.name == 'b' }.allocationPerSecond", equalTo(0.0f))
                .body("timeline[0].action", equalTo("run-started"))
                .body("timeline[0].actor", equalTo("alice"))
                .body("timeline[0].reason", containsString("kv store is back"))
                .extract()
                .path("id");
        given().get(RUNS + "/" + id).then().statusCode(200).body("plan", equalTo("run-start"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("sluice_run_stage{plan=\"run-start\",run=\"" + id + "\"}"))
                .body(containsString(
                        "sluice_run_allocation_per_second{plan=\"run-start\",run=\"" + id + "\",service=\"a\"} 100.0"))
                .body(containsString("sluice_run_transitions_total{kind=\"run-started\"}"));
        given().get(RUNS + "/no-such-run").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void aRetriedStartWithTheSameIdempotencyKeyReturnsTheSameRun() {
        createPlan("run-idem");
        createPlan("run-idem-other");
        Map<String, String> body = Map.of("plan", "run-idem", "reason", "go");
        String first = given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "k-run-idem")
                .body(body)
                .post(RUNS)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String second = given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "k-run-idem")
                .body(body)
                .post(RUNS)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertThat(second).isEqualTo(first);
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "k-run-idem")
                .body(Map.of("plan", "run-idem-other", "reason", "go"))
                .post(RUNS)
                .then()
                .statusCode(422)
                .contentType(PROBLEM);
    }

    @Test
    void aPlanHasAtMostOneActiveRunAndCannotBeDeletedMeanwhile() {
        createPlan("run-one");
        String id = start("run-one");
        given().contentType(ContentType.JSON)
                .body(Map.of("plan", "run-one", "reason", "again"))
                .post(RUNS)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("run", equalTo(id));
        given().delete("/api/v1/plans/run-one")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:plan-in-use"));
        action(id, "abort", "alice", "rehearsal over").statusCode(200).body("status", equalTo("aborted"));
        given().delete("/api/v1/plans/run-one").then().statusCode(204);
        given().get(RUNS + "/" + id).then().statusCode(200).body("status", equalTo("aborted"));
    }

    @Test
    void everyActionNeedsAReason() {
        createPlan("run-reason");
        String id = start("run-reason");
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", " "))
                .post(RUNS + "/" + id + "/pause")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("violations[0].pointer", equalTo("/reason"));
        given().contentType(ContentType.JSON)
                .post(RUNS + "/" + id + "/pause")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        // Who acts is the token's name, never a field the caller fills in.
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "x", "actor", "someone-else"))
                .post(RUNS + "/" + id + "/pause")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON)
                .body(Map.of("plan", "run-reason"))
                .post(RUNS)
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/reason"));
        given().get(RUNS + "/" + id).then().body("status", equalTo("running"));
    }

    @Test
    void illegalTransitionsAreConflictsThatSayWhy() {
        createPlan("run-illegal");
        String id = start("run-illegal");
        action(id, "resume", "alice", "resume what?")
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:illegal-transition"))
                .body("detail", equalTo("cannot resume a running run"))
                .body("status", equalTo(409))
                .body("runStatus", equalTo("running"));
        action(id, "pause", "alice", "checking dashboards").statusCode(200).body("status", equalTo("paused"));
        action(id, "promote", "alice", "skip").statusCode(409).body("detail", equalTo("cannot promote a paused run"));
        action(id, "resume", "bob", "dashboards fine")
                .statusCode(200)
                .body("status", equalTo("running"))
                .body("timeline.action", hasItem("run-paused"))
                .body("timeline.find { it.action == 'run-resumed' }.actor", equalTo("bob"))
                .body("timeline.find { it.action == 'run-resumed' }.reason", equalTo("dashboards fine"));
    }

    @Test
    void ofTwoConcurrentConflictingActionsOneWinsAndTheOtherIsAConflict() throws Exception {
        createPlan("run-race");
        String id = start("run-race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> pauses = new ArrayList<>();
            for (String who : List.of("alice", "bob")) {
                pauses.add(() -> TestTokens.as(TestTokens.operator(who))
                        .contentType(ContentType.JSON)
                        .body(Map.of("reason", "pause it"))
                        .post(RUNS + "/" + id + "/pause")
                        .statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(pauses)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void staleIfMatchIsRefused() {
        createPlan("run-etag");
        String id = start("run-etag");
        String etag = given().get(RUNS + "/" + id).then().extract().header("ETag");
        action(id, "pause", "alice", "first").statusCode(200);
        given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(Map.of("reason", "based on what I saw"))
                .post(RUNS + "/" + id + "/resume")
                .then()
                .statusCode(412)
                .contentType(PROBLEM);
    }

    @Test
    void pushedHealthDrivesTheRunFromStartToCompletion() {
        createPlan("run-full");
        String id = start("run-full");
        for (int i = 0; i < 120 && !"completed".equals(status(id)); i++) {
            pushReport("run-full", 0.0);
            clock.advanceSeconds(1);
            ticker.tick(id);
        }
        given().get(RUNS + "/" + id)
                .then()
                .body("status", equalTo("completed"))
                .body("stage.name", equalTo("full"))
                .body("services.status", org.hamcrest.Matchers.everyItem(equalTo("restored")));
        List<String> actions = given().get(RUNS + "/" + id + "/timeline?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("action");
        assertThat(actions)
                .containsSubsequence(
                        "run-started",
                        "stage-advanced",
                        "service-restored",
                        "service-admitting",
                        "stage-advanced",
                        "service-restored",
                        "run-completed");
        given().get(RUNS + "/" + id + "/timeline?limit=100")
                .then()
                .body("find { it.action == 'stage-advanced' }.actor", equalTo("controller"))
                .body("find { it.action == 'stage-advanced' }.reason", containsString("tier-errors"))
                .body("find { it.action == 'stage-advanced' }.details", containsString("GREEN"));
    }

    @Test
    void redHealthStepsBackOneStageAndSaysWhy() {
        createPlan("run-red");
        String id = start("run-red");
        for (int i = 0; i < 6; i++) {
            pushReport("run-red", 0.0);
            clock.advanceSeconds(1);
            ticker.tick(id);
        }
        given().get(RUNS + "/" + id).then().body("stage.name", equalTo("half"));
        for (int i = 0; i < 2; i++) {
            pushReport("run-red", 0.5);
            clock.advanceSeconds(1);
            ticker.tick(id);
        }
        given().get(RUNS + "/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("gates[0].state", equalTo("settling")) // streaks start afresh after a step back
                .body("gates[0].reading.verdict", equalTo("RED"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("error ratio"));
    }

    @Test
    void unknownHealthHoldsTheRun() {
        createPlan("run-unknown");
        String id = start("run-unknown");
        for (int i = 0; i < 10; i++) { // nothing pushed: the push source is unreadable
            clock.advanceSeconds(1);
            ticker.tick(id);
        }
        given().get(RUNS + "/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("status", equalTo("running"))
                .body("gates[0].state", equalTo("unknown"))
                .body("unknownHealthSince", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void overridePinsARateWithinTheBudget() {
        createPlan("run-pin");
        String id = start("run-pin");
        TestTokens.as(TestTokens.operator("carol"))
                .contentType(ContentType.JSON)
                .body(Map.of("ratePerSecond", 40, "durationSeconds", 600, "reason", "go gently"))
                .put(RUNS + "/" + id + "/overrides/a")
                .then()
                .statusCode(200)
                .body("services.find { it.name == 'a' }.allocationPerSecond", equalTo(40.0f))
                .body("services.find { it.name == 'a' }.override.actor", equalTo("carol"));
        given().contentType(ContentType.JSON)
                .body(Map.of("ratePerSecond", 40, "durationSeconds", 0, "reason", "forever"))
                .put(RUNS + "/" + id + "/overrides/a")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/durationSeconds"));
        given().contentType(ContentType.JSON)
                .body(Map.of("ratePerSecond", 40, "durationSeconds", 60, "reason", "x"))
                .put(RUNS + "/" + id + "/overrides/nobody")
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "done"))
                .delete(RUNS + "/" + id + "/overrides/a")
                .then()
                .statusCode(200)
                .body("services.find { it.name == 'a' }.allocationPerSecond", equalTo(100.0f));
    }

    @Test
    void pushedReportsAreValidated() {
        createPlan("run-push");
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "nope", "errorRatio", 0.1))
                .post("/api/v1/plans/run-push/health-reports")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("violations[0].pointer", equalTo("/source"));
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", 1.5))
                .post("/api/v1/plans/run-push/health-reports")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/errorRatio"));
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", 0.01))
                .post("/api/v1/plans/run-push/health-reports")
                .then()
                .statusCode(202)
                .body("source", equalTo("tier/reports"));
    }

    private static void createPlan(String name) {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan(name))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
    }

    private static String start(String plan) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("plan", plan, "reason", "tier recovered"))
                .post(RUNS)
                .then()
                .statusCode(201)
                .header("Location", endsWith(""))
                .extract()
                .path("id");
    }

    private static ValidatableResponse action(String id, String action, String actor, String reason) {
        return TestTokens.as(TestTokens.operator(actor))
                .contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post(RUNS + "/" + id + "/" + action)
                .then();
    }

    private static String status(String id) {
        return given().get(RUNS + "/" + id).then().extract().path("status");
    }

    private static void pushReport(String plan, double errorRatio) {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", errorRatio))
                .post("/api/v1/plans/" + plan + "/health-reports")
                .then()
                .statusCode(202);
    }
}
