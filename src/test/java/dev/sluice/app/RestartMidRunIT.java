package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.SluiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, its real control loop and clock: a run is stopped mid-ramp by a
 * restart and resumes at its committed stage and allocations — no jump to full admission, no drop
 * to zero — then completes. Health is pushed by this test.
 */
class RestartMidRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = """
            {"name": "restart-plan",
             "tier": {"name": "kv", "capacityPerSecond": 400,
                      "health": [{"name": "reports", "kind": "push", "staleAfterSeconds": 1}]},
             "services": [{"name": "a", "demandPerSecond": 100, "priority": "critical"},
                          {"name": "b", "demandPerSecond": 100, "dependsOn": ["a"]}],
             "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 1},
                        {"name": "half", "share": 0.5, "holdSeconds": 1},
                        {"name": "full", "share": 1.0, "holdSeconds": 1}],
             "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                        "windowSeconds": 2, "greenSamples": 2, "redSamples": 2}],
             "policy": {"unknownHealthPauseSeconds": 600, "tickIntervalMillis": 200}}
            """;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runResumesAtItsCommittedStageAfterARestart(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("SLUICE_DATA_DIR", dir.resolve("data").toString());
        assumeEmbedded();
        Path log = dir.resolve("sluice.log");
        String runId;
        JsonNode before;
        try (SluiceProcess first = SluiceProcess.start(log, env)) {
            assertThat(post(first, "/api/v1/plans", PLAN).statusCode()).isEqualTo(201);
            HttpResponse<String> started =
                    post(first, "/api/v1/runs", "{\"plan\":\"restart-plan\",\"reason\":\"restart test\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            runId = JSON.readTree(started.body()).get("id").asText();
            // Green health until the ramp is past its first stage, then silence: the run holds.
            awaitRun(first, runId, run -> run.at("/stage/index").asInt() >= 1, true);
            before = awaitRun(first, runId, run -> run.hasNonNull("unknownHealthSince"), false);
            assertThat(before.get("status").asText()).isEqualTo("running");
            first.stop();
        }
        try (SluiceProcess second = SluiceProcess.start(log, env)) {
            JsonNode after = JSON.readTree(get(second, "/api/v1/runs/" + runId).body());
            assertThat(after.at("/stage/index").asInt())
                    .isEqualTo(before.at("/stage/index").asInt());
            assertThat(after.get("allocatedPerSecond").asDouble())
                    .isEqualTo(before.get("allocatedPerSecond").asDouble())
                    .isPositive();
            assertThat(after.get("services")).isEqualTo(before.get("services"));
            JsonNode done =
                    awaitRun(second, runId, run -> run.get("status").asText().equals("completed"), true);
            assertThat(done.at("/stage/name").asText()).isEqualTo("full");
            second.stop();
        }
    }

    private void assumeEmbedded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev.sluice.testing.PostgresTestResource.externalUrl() == null,
                "runs on the embedded database; RestartKeepsPlansIT covers the external one");
    }

    /** Polls the run (pushing green health when asked) until it matches, for at most 60 s. */
    private JsonNode awaitRun(SluiceProcess app, String runId, Predicate<JsonNode> done, boolean pushGreen) {
        AtomicReference<JsonNode> run = new AtomicReference<>();
        try {
            Awaitility.await("run " + runId)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (pushGreen) {
                            post(
                                    app,
                                    "/api/v1/plans/restart-plan/health-reports",
                                    "{\"source\":\"reports\",\"errorRatio\":0}");
                        }
                        run.set(JSON.readTree(get(app, "/api/v1/runs/" + runId).body()));
                        return done.test(run.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("run did not get there within 60 s; last status: " + run.get(), e);
        }
        return run.get();
    }

    private HttpResponse<String> post(SluiceProcess app, String path, String json) throws Exception {
        return http.send(
                app.request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(SluiceProcess app, String path) throws Exception {
        return http.send(app.request(path).build(), HttpResponse.BodyHandlers.ofString());
    }
}
