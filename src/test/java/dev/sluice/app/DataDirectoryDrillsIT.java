package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.PostgresTestResource;
import dev.sluice.testing.SluiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application on the embedded database, and what happens to its data directory: a
 * second Sluice on it refuses to start and touches nothing (drill 3); a Sluice killed with SIGKILL
 * leaves its PostgreSQL running, which the next start cleans up; and when the embedded server dies
 * under a running Sluice, admission goes on, calls that need the database answer 503, and a
 * restart of Sluice recovers (drill 2, embedded).
 */
class DataDirectoryDrillsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = """
            {"name": "dir-plan",
             "tier": {"name": "kv", "capacityPerSecond": 400,
                      "health": [{"name": "reports", "kind": "push", "staleAfterSeconds": 30}]},
             "services": [{"name": "a", "demandPerSecond": 100, "priority": "critical"}],
             "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 600},
                        {"name": "full", "share": 1.0, "holdSeconds": 600}],
             "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                        "windowSeconds": 10, "greenSamples": 2, "redSamples": 2}],
             "policy": {"unknownHealthPauseSeconds": 3600}}
            """;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void embeddedOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                PostgresTestResource.externalUrl() == null, "drills of the embedded database");
        env = Map.of("SLUICE_DATA_DIR", dir.resolve("data").toString());
    }

    @Test
    void aSecondSluiceOnALiveDataDirectoryRefusesToStartNamingTheOwnerAndLeavesItsDatabaseAlone() throws Exception {
        try (SluiceProcess first = SluiceProcess.start(dir.resolve("first.log"), env)) {
            long postgres = postmasterPid().orElseThrow();
            String runId = startRun(first);

            Path secondLog = dir.resolve("second.log");
            int exit = SluiceProcess.startExpectingExit(secondLog, env);

            assertThat(exit).isEqualTo(SluiceMain.EXIT_DATA_DIR_IN_USE);
            assertThat(Files.readString(secondLog)).contains("is in use by another Sluice (pid " + first.pid());
            assertThat(ProcessHandle.of(postgres).map(ProcessHandle::isAlive)).contains(true);
            assertThat(get(first, "/api/v1/runs/" + runId).statusCode()).isEqualTo(200);
            first.stop();
        }
    }

    @Test
    void aPostgresLeftBehindByAKilledSluiceIsStoppedByTheNextStart() throws Exception {
        String runId;
        long leftBehind;
        try (SluiceProcess first = SluiceProcess.start(dir.resolve("first.log"), env)) {
            runId = startRun(first);
            leftBehind = postmasterPid().orElseThrow();
            first.kill();
        }
        assertThat(ProcessHandle.of(leftBehind).map(ProcessHandle::isAlive)).contains(true);
        try (SluiceProcess second = SluiceProcess.start(dir.resolve("second.log"), env)) {
            assertThat(ProcessHandle.of(leftBehind).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            assertThat(get(second, "/api/v1/runs/" + runId).statusCode()).isEqualTo(200);
            second.stop();
        }
    }

    @Test
    void whenTheEmbeddedServerDiesAdmissionGoesOnDatabaseCallsAnswer503AndARestartRecovers() throws Exception {
        String runId;
        Path log = dir.resolve("sluice.log");
        try (SluiceProcess app = SluiceProcess.start(log, env)) {
            runId = startRun(app);
            String permits = "/api/v1/runs/" + runId + "/services/a/permits";
            assertThat(post(app, permits, "{\"count\":1}").statusCode()).isEqualTo(200);

            ProcessHandle.of(postmasterPid().orElseThrow()).orElseThrow().destroyForcibly(); // the server dies

            Awaitility.await("calls that need the database answer 503")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(app, "/api/v1/runs/" + runId).statusCode() == 503);
            HttpResponse<String> status = get(app, "/api/v1/runs/" + runId);
            assertThat(status.headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .startsWith("application/problem+json");
            assertThat(status.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(status.body()).get("type").asText())
                    .isEqualTo("urn:sluice:problem:database-unavailable");
            HttpResponse<String> permit = post(app, permits, "{\"count\":1}");
            assertThat(permit.statusCode()).as(permit.body()).isIn(200, 429);
            assertThat(JSON.readTree(permit.body()).get("ratePerSecond").asDouble())
                    .isEqualTo(100.0);
            app.stop();
        }
        try (SluiceProcess again = SluiceProcess.start(log, env)) {
            JsonNode run = JSON.readTree(get(again, "/api/v1/runs/" + runId).body());
            assertThat(run.get("status").asText()).isEqualTo("running");
            assertThat(run.at("/stage/name").asText()).isEqualTo("quarter");
            again.stop();
        }
    }

    private String startRun(SluiceProcess app) throws Exception {
        assertThat(post(app, "/api/v1/plans", PLAN).statusCode()).isEqualTo(201);
        HttpResponse<String> started = post(app, "/api/v1/runs", "{\"plan\":\"dir-plan\",\"reason\":\"drill\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return JSON.readTree(started.body()).get("id").asText();
    }

    /** The embedded server's postmaster, from its pid file. */
    private Optional<Long> postmasterPid() throws Exception {
        Path pidFile = dir.resolve("data").resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty()
                ? Optional.empty()
                : Optional.of(Long.parseLong(lines.get(0).trim()));
    }

    private HttpResponse<String> post(SluiceProcess app, String path, String json) throws Exception {
        return http.send(
                app.request(path)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(SluiceProcess app, String path) throws Exception {
        return http.send(
                app.request(path).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
