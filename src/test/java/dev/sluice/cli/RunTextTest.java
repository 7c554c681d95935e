package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RunTextTest {
    /** A run as {@code GET /api/v1/runs/{id}} answers it (fields the renderer reads). */
    static final String RUN = """
            {"id": "r-1", "plan": "demo", "planVersion": 2, "status": "paused",
             "pauseReason": "checking the store dashboards",
             "stage": {"index": 1, "name": "half", "share": 0.5, "budgetPerSecond": 500.0,
                       "holdSeconds": 10, "holdRemainingSeconds": 4, "holdSkipped": false, "stages": 3},
             "ceiling": {"summary": "tier held 100.0/s; 500.0/s tripped once", "settled": false},
             "allocatedPerSecond": 500.0,
             "services": [
               {"name": "auth", "status": "admitting", "allocationPerSecond": 300.0, "demandPerSecond": 300.0,
                "wantedPerSecond": 412.5, "priority": "critical", "dependsOn": [], "override": null},
               {"name": "batch", "status": "admitting", "allocationPerSecond": 50.0, "demandPerSecond": 300.0,
                "wantedPerSecond": null, "priority": "low", "dependsOn": ["auth", "api"],
                "override": {"ratePerSecond": 50.0, "actor": "bob", "expiresAt": "2026-12-01T10:33:14.267Z"}}],
             "gates": [
               {"name": "tier-p99", "kind": "tier-latency", "state": "tripped", "greenStreak": 0, "redStreak": 2,
                "reading": {"verdict": "RED", "value": 612.0, "threshold": 500.0,
                            "detail": "p99 612 ms > 500 ms over 30 s"}},
               {"name": "go-full", "kind": "manual-approval", "state": "awaiting-approval", "beforeStage": "full"}],
             "timeline": [
               {"at": "2026-12-01T10:22:50.1Z", "actor": "alice", "action": "run-started", "subject": "run",
                "to": "trickle", "reason": "store is back"}]}
            """;

    @Test
    void theStatusShowsStageOfStagesBudgetAndThePauseReason() {
        String text = RunText.status(run());
        assertThat(text)
                .contains("run r-1  plan demo v2  PAUSED")
                .contains("paused: checking the store dashboards")
                .contains("stage 2/3 half (50% of capacity)  budget 500.0/s  allocated 500.0/s  hold 4 s of 10 s left")
                .contains("ceiling: tier held 100.0/s; 500.0/s tripped once");
    }

    @Test
    void eachServiceShowsItsStateAllocationDemandAndWant() {
        String[] lines = RunText.status(run()).split("\n");
        assertThat(lines)
                .contains(
                        "SERVICE  STATE      ALLOCATION  DEMAND   WANTED   PRIORITY  WAITS ON  OVERRIDE",
                        "auth     admitting  300.0/s     300.0/s  412.5/s  critical  -         -",
                        "batch    admitting  50.0/s      300.0/s  -        low       auth,api  50.0/s by bob until 2026-12-01 10:33:14");
    }

    @Test
    void eachGateShowsItsReadingAgainstItsThreshold() {
        String text = RunText.status(run());
        assertThat(text)
                .contains(
                        "tier-p99  tier-latency     tripped            p99 612 ms > 500 ms over 30 s  (red 2 in a row)")
                .contains("go-full   manual-approval  awaiting-approval  before stage full");
    }

    @Test
    void theLatestTransitionsFollowWithTheirReason() {
        assertThat(RunText.status(run()))
                .contains("2026-12-01 10:22:50  alice  run-started  run      -     trickle  store is back");
    }

    @Test
    void aTableAlignsColumnsAndShowsEmptyCellsAsDashes() {
        String table =
                new Table("A", "LONGER").row("wide cell", null).row("x", "y").render();
        assertThat(table).isEqualTo("A          LONGER\nwide cell  -\nx          y\n");
    }

    @Test
    void aDiffOfTwoVersionsShowsTheChangedLinesInContext() {
        String diff = LineDiff.unified("p v1", "p v2", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n");
        assertThat(diff).isEqualTo("--- p v1\n+++ p v2\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
        assertThat(LineDiff.unified("p v1", "p v2", "a\n", "a\n")).isEqualTo("p v1 and p v2 are the same\n");
    }

    private static JsonNode run() {
        return Json.read(RUN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
