package dev.sluice.testing;

import static io.restassured.RestAssured.given;

import dev.sluice.control.run.RunTicker;
import io.restassured.http.ContentType;
import java.util.Map;

/** Runs as a test drives them: a plan stored and a run started over HTTP, ticks on a moved clock. */
public final class RunsOverHttp {
    private RunsOverHttp() {}

    /** Stores {@code planJson} (named {@code planName}) and starts a run of it; returns the run id. */
    public static String storeAndStart(String planJson, String planName, String reason) {
        given().contentType(ContentType.JSON)
                .body(planJson)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        return given().contentType(ContentType.JSON)
                .body(Map.of("plan", planName, "reason", reason))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** {@code seconds} ticks of the run, one a second of the test's clock. */
    /**
     * Has this replica load the run's admission (it does on first use) and lets a second pass: new
     * buckets hold one permit, so a second later they hold a second of their rate.
     */
    public static void fillBuckets(MutableClock clock, String runId, String service) {
        given().get("/api/v1/runs/" + runId + "/services/" + service + "/admission")
                .then()
                .statusCode(200);
        clock.advanceSeconds(1);
    }

    public static void tickSeconds(MutableClock clock, RunTicker ticker, String runId, int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.advanceSeconds(1);
            ticker.tick(runId);
        }
    }

    /**
     * Drives a run of a {@link RunPlans#pushPlan} to completion: a healthy report on its push source
     * {@code reports} and a tick every second of the test's clock, at most two minutes of it.
     */
    public static void completeWithHealthyReports(MutableClock clock, RunTicker ticker, String plan, String runId) {
        for (int i = 0; i < 120 && !"completed".equals(status(runId)); i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("source", "reports", "errorRatio", 0.0))
                    .post("/api/v1/plans/" + plan + "/health-reports")
                    .then()
                    .statusCode(202);
            clock.advanceSeconds(1);
            ticker.tick(runId);
        }
        if (!"completed".equals(status(runId))) {
            throw new AssertionError("run " + runId + " did not complete: " + status(runId));
        }
    }

    private static String status(String runId) {
        return given().get("/api/v1/runs/" + runId).then().extract().path("status");
    }
}
