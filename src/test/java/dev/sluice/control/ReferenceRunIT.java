package dev.sluice.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.control.run.RunTicker;
import dev.sluice.control.store.RunStore;
import dev.sluice.testing.HealthyTier;
import dev.sluice.testing.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference scenario from start to completion through the REST API: its tier is probed over
 * real HTTP (a local server standing in for the key-value store's health endpoint), `access`
 * pushes its own health, and the incident lead approves the last stage.
 */
@QuarkusTest
class ReferenceRunIT {
    @Inject
    RunStore runs;

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    @Test
    void referencePlanRestoresEveryServiceInDependencyOrder() throws Exception {
        try (HealthyTier kv = new HealthyTier()) {
            String id = kv.startReferenceRun("reference-run", "kv store recovered");

            for (int tick = 0; tick < 3000; tick++) {
                if (tick % 5 == 0) { // access's push source goes stale after 30 s
                    given().contentType(ContentType.JSON)
                            .body(Map.of("source", "access-reports", "service", "access", "errorRatio", 0.0))
                            .post("/api/v1/plans/reference-run/health-reports")
                            .then()
                            .statusCode(202);
                }
                clock.advanceSeconds(1);
                ticker.tick(id);
                RunState state = runs.get(id).state();
                if (state.status() == RunStatus.COMPLETED) {
                    break;
                }
                if (state.stage() == 4 && !state.approvedStages().contains("full")) {
                    dev.sluice.testing.TestTokens.as(dev.sluice.testing.TestTokens.operator("incident-lead"))
                            .contentType(ContentType.JSON)
                            .body(Map.of("reason", "dashboards green, approve full"))
                            .post("/api/v1/runs/" + id + "/promote")
                            .then()
                            .statusCode(200);
                }
            }
            given().get("/api/v1/runs/" + id)
                    .then()
                    .body("status", equalTo("completed"))
                    .body("allocatedPerSecond", equalTo(8900.0f));
            List<Map<String, Object>> timeline = wholeTimeline(id);
            List<String> restored = timeline.stream()
                    .filter(e -> e.get("action").equals("service-restored"))
                    .map(e -> (String) e.get("subject"))
                    .toList();
            assertThat(restored).hasSize(18);
            assertThat(restored.indexOf("access")).isLessThan(restored.indexOf("gateway"));
            assertThat(restored.indexOf("gateway")).isLessThan(restored.indexOf("warp"));
            assertThat(restored.indexOf("pages")).isLessThan(restored.indexOf("workers-builds"));
            List<Map<String, Object>> advances = timeline.stream()
                    .filter(e -> e.get("action").equals("stage-advanced"))
                    .toList();
            // Five advances, unless the probe's real HTTP latency spiked past the plan's 250 ms on
            // a loaded machine: then a step back names tier-p99, and the ramp climbs again.
            List<Map<String, Object>> stepBacks = timeline.stream()
                    .filter(e -> e.get("action").equals("stage-stepped-back"))
                    .toList();
            assertThat(stepBacks)
                    .allSatisfy(e -> assertThat((String) e.get("reason")).contains("tier-p99"));
            assertThat(advances).hasSizeGreaterThanOrEqualTo(5).allSatisfy(e -> {
                assertThat((String) e.get("reason")).contains("gates passed");
                assertThat((String) e.get("details")).contains("tier-errors").contains("GREEN");
            });
            assertThat(timeline).anySatisfy(e -> {
                assertThat(e.get("action")).isEqualTo("stage-promoted");
                assertThat(e.get("actor")).isEqualTo("incident-lead");
            });
        }
    }

    /**
     * Every event of the run, page by page: with four health gates settling at every stage, and
     * flipping when the loaded machine slows the probe, a run can take more than one page.
     */
    private static List<Map<String, Object>> wholeTimeline(String id) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            List<Map<String, Object>> page = given().get("/api/v1/runs/" + id + "/timeline?limit=100&after=" + after)
                    .then()
                    .extract()
                    .path("$");
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = ((Number) page.get(page.size() - 1).get("id")).longValue();
        }
    }
}
