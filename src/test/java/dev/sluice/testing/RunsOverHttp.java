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
    public static void tickSeconds(MutableClock clock, RunTicker ticker, String runId, int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.advanceSeconds(1);
            ticker.tick(runId);
        }
    }
}
