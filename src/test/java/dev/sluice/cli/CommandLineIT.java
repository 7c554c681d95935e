package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestAuthentication;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in-process against the test server's real port: real HTTP, the real API, the
 * environment injected (never the process's own).
 */
@QuarkusTest
class CommandLineIT {
    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @TempDir
    Path home;

    private final ExecutorService watcher = Executors.newSingleThreadExecutor();

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    @BeforeEach
    void noConfigFileUnlessATestWritesOne() throws IOException {
        Files.createDirectories(home);
    }

    @AfterEach
    void stopWatching() {
        watcher.shutdownNow();
    }

    @Test
    void anOperatorAppliesAPlanStartsARunReadsItAndPausesIt() throws IOException {
        Path plan = home.resolve("cli-ops.json");
        Files.writeString(plan, RunPlans.pushPlan("cli-ops"));
        Map<String, String> admin = env(TestAuthentication.ADMIN_TOKEN);

        Result created = cli(admin, "plans", "apply", plan.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("plan cli-ops created: version 1\n");
        Files.writeString(plan, RunPlans.pushPlan("cli-ops").replace("\"holdSeconds\": 5}]", "\"holdSeconds\": 6}]"));
        assertThat(cli(admin, "plans", "apply", plan.toString()).out()).isEqualTo("plan cli-ops updated: version 2\n");
        assertThat(cli(admin, "plans", "list").out()).containsPattern("cli-ops +2 +kv +2 +3 ");
        assertThat(cli(admin, "plans", "get", "cli-ops").out())
                .startsWith("name: cli-ops\n")
                .contains("holdSeconds: 6");
        assertThat(cli(admin, "plans", "diff", "cli-ops", "1", "2").out())
                .contains("-    holdSeconds: 5", "+    holdSeconds: 6");
        Path got = home.resolve("got.yaml");
        Files.writeString(
                got, cli(admin, "plans", "get", "cli-ops", "--version", "1").out());
        assertThat(cli(admin, "plans", "apply", got.toString()).out()).isEqualTo("plan cli-ops updated: version 3\n");
        assertThat(cli(admin, "plans", "diff", "cli-ops", "1", "3").out())
                .isEqualTo("cli-ops v1 and cli-ops v3 are the same\n");
        assertThat(cli(admin, "plans", "order", "cli-ops").out())
                .containsPattern("1 +a +critical +100.0/s +- +b")
                .containsPattern("2 +b +normal +100.0/s +a ");

        Map<String, String> alice = env(TestTokens.operator("cli-alice"));
        Result started = cli(alice, "runs", "start", "cli-ops", "--reason", "kv store is back", "-o", "json");
        assertThat(started.code()).as(started.err()).isZero();
        String run = started.json().path("id").asText();
        assertThat(started.json().path("status").asText()).isEqualTo("running");

        Result status = cli(alice, "runs", "status", run);
        assertThat(status.code()).isZero();
        assertThat(status.out())
                .contains("run " + run + "  plan cli-ops v3  RUNNING")
                .contains("stage 1/3 quarter (25% of capacity)  budget 100.0/s")
                .containsPattern("a +admitting +100.0/s +100.0/s")
                .containsPattern("b +blocked +0.0/s +100.0/s")
                .containsPattern("tier-errors +tier-error-rate +")
                .contains("cli-alice", "kv store is back");

        Result paused = cli(alice, "runs", "pause", run, "--reason", "checking the kv dashboards");
        assertThat(paused.code()).as(paused.err()).isZero();
        assertThat(paused.out()).contains("PAUSED", "paused: checking the kv dashboards");

        Result again = cli(alice, "runs", "pause", run, "--reason", "twice");
        assertThat(again.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.out()).isEmpty();
        assertThat(again.err())
                .startsWith("sluice: ")
                .contains("(409)")
                .contains("paused")
                .doesNotContain("Exception");

        assertThat(cli(alice, "runs", "timeline", run).out())
                .containsPattern("cli-alice +run-paused +run +running +paused +checking the kv dashboards");
        assertThat(cli(alice, "runs", "list", "--plan", "cli-ops").out())
                .containsPattern(run + " +cli-ops +paused +quarter");
        assertThat(cli(admin, "audit", "search", "--run", run, "--action", "run-paused")
                        .out())
                .contains("cli-alice", "checking the kv dashboards");
        assertThat(cli(alice, "runs", "abort", run, "--reason", "rehearsal over")
                        .out())
                .contains("ABORTED");
    }

    @Test
    void jsonAndYamlOutputAreTheServersAnswer() {
        Map<String, String> admin = env(TestAuthentication.ADMIN_TOKEN);
        Result json = cli(admin, "whoami", "-o", "json");
        assertThat(json.code()).isZero();
        assertThat(json.json().path("name").asText()).isEqualTo("bootstrap-admin");
        assertThat(cli(admin, "whoami", "-o", "yaml").out()).contains("name: bootstrap-admin");
        assertThat(cli(admin, "whoami").out()).contains("roles   admin");
    }

    @Test
    void anInvalidPlanIsExplainedFieldByFieldAndExitsOne() throws IOException {
        Path plan = home.resolve("bad.yaml");
        Files.writeString(plan, "name: cli-bad\ntier: {name: kv, capacityPerSecond: -1}\nservices: []\nstages: []\n");
        Result invalid = cli(env(TestAuthentication.ADMIN_TOKEN), "plans", "validate", plan.toString());
        assertThat(invalid.code()).isEqualTo(ExitCodes.NO);
        assertThat(invalid.out()).contains(plan + " is not a valid plan:", "/tier/capacityPerSecond");

        Path demo = Path.of("examples/demo-plan.yaml").toAbsolutePath();
        Result valid = cli(env(TestAuthentication.ADMIN_TOKEN), "plans", "validate", demo.toString());
        assertThat(valid.code()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("is a valid plan. Restoration order:").containsPattern("2 +api ");

        Result refused = cli(env(TestAuthentication.ADMIN_TOKEN), "plans", "apply", plan.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("(400)", "/tier/capacityPerSecond");
    }

    @Test
    void aBadTokenAMissingOneAndAMissingRoleAreToldApart() throws IOException {
        Result wrong = cli(env("slc_not_a_real_token_at_all"), "plans", "list");
        assertThat(wrong.code()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertThat(wrong.err())
                .contains("did not accept the token from SLUICE_TOKEN (401)")
                .doesNotContain("slc_not_a_real_token_at_all");

        Result none = cli(env(null), "plans", "list");
        assertThat(none.code()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertThat(none.err()).contains("needs a token: set SLUICE_TOKEN");

        Path plan = home.resolve("p.json");
        Files.writeString(plan, RunPlans.pushPlan("cli-forbidden"));
        String viewer = TestTokens.token("cli-viewer", List.of("viewer"), List.of());
        Result forbidden = cli(env(viewer), "plans", "apply", plan.toString());
        assertThat(forbidden.code()).isEqualTo(ExitCodes.FORBIDDEN);
        assertThat(forbidden.err()).startsWith("sluice: not allowed (403)");
    }

    @Test
    void anUnreachableServerIsSaidInOneLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = env(TestAuthentication.ADMIN_TOKEN);
        env.put("SLUICE_URL", "http://127.0.0.1:" + closedPort);
        Result down = cli(env, "runs", "list");
        assertThat(down.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(down.err())
                .isEqualTo("sluice: cannot reach Sluice at http://127.0.0.1:" + closedPort + ": connection refused\n");
    }

    @Test
    void aConfigFileOthersCanReadIsRefusedAndAnOwnerOnlyOneIsUsed() throws IOException {
        Assumptions.assumeTrue(
                home.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "SKIPPED: no POSIX permissions on this file system");
        Path config = home.resolve(".config/sluice/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "url=" + url() + "\ntoken=" + TestAuthentication.ADMIN_TOKEN + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));

        Result refused = cli(env, "whoami");
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err())
                .contains("permissions 0644 for " + config + " are too open", "chmod 600")
                .doesNotContain(TestAuthentication.ADMIN_TOKEN);

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Result used = cli(env, "whoami");
        assertThat(used.code()).as(used.err()).isZero();
        assertThat(used.out()).contains("name    bootstrap-admin");
    }

    @Test
    void tokensCreatePrintsTheSecretOnceAndListNever() {
        Map<String, String> admin = env(TestAuthentication.ADMIN_TOKEN);
        Result created = cli(admin, "tokens", "create", "cli-bob", "--role", "operator");
        assertThat(created.code()).as(created.err()).isZero();
        String secret = created.out().strip();
        assertThat(secret).startsWith("slc_").doesNotContain("\n");
        assertThat(created.err()).contains("token cli-bob (operator) created", "shown this once");
        assertThat(cli(env(secret), "whoami").out()).contains("name    cli-bob");

        Result listed = cli(admin, "tokens", "list", "-o", "json");
        assertThat(listed.out()).contains("cli-bob").doesNotContain(secret);
        String id = null;
        for (JsonNode t : listed.json()) {
            if (t.path("name").asText().equals("cli-bob")) {
                id = t.path("id").asText();
            }
        }
        assertThat(cli(admin, "tokens", "revoke", id, "--reason", "left the rotation")
                        .out())
                .isEqualTo("revoked token " + id + "\n");
        assertThat(cli(admin, "audit", "verify").out()).startsWith("audit chain intact: ");
        assertThat(cli(admin, "audit", "export", "--actor", "bootstrap-admin", "--action", "token-revoked")
                        .out())
                .contains("left the rotation");
    }

    @Test
    void watchFollowsARunUntilItCompletesAndExitsZero() throws Exception {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("cli-watch"), "cli-watch", "watch me");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Future<Integer> watch = watcher.submit(() -> SluiceCli.run(
                new String[] {"runs", "watch", run, "--interval", "20ms"},
                env(TestAuthentication.ADMIN_TOKEN),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        RunsOverHttp.completeWithHealthyReports(clock, ticker, "cli-watch", run);
        assertThat(watch.get(60, TimeUnit.SECONDS)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("RUNNING", "COMPLETED").endsWith("run " + run + " completed\n");
        assertThat(printed).doesNotContain(RunsCommand.Watch.CLEAR_AND_HOME);
        // Not a terminal: a new frame only when the run changed, never the same frame twice in a row.
        String[] frames = printed.split("\n\n(?=run " + run + ")");
        assertThat(frames.length).isGreaterThan(2);
        for (int i = 1; i < frames.length; i++) {
            assertThat(frames[i]).isNotEqualTo(frames[i - 1]);
        }
    }

    @Test
    void watchExitsOneWhenTheRunIsAborted() throws Exception {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("cli-watch-abort"), "cli-watch-abort", "watch me");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // On a terminal: every frame redrawn in place.
        Future<Integer> watch = watcher.submit(() -> SluiceCli.run(
                new String[] {"runs", "watch", run, "--interval", "20ms"},
                new Context(
                        env(TestAuthentication.ADMIN_TOKEN),
                        System.in,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        true)));
        assertThat(cli(env(TestTokens.operator("cli-carol")), "runs", "abort", run, "--reason", "store down again")
                        .code())
                .isZero();
        assertThat(watch.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.NO);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .startsWith(RunsCommand.Watch.CLEAR_AND_HOME + "run " + run)
                .endsWith("run " + run + " aborted\n");
        assertThat(printed.substring(printed.lastIndexOf(RunsCommand.Watch.CLEAR_AND_HOME)))
                .contains("ABORTED");
    }

    @Test
    void completionPrintsABashScript() {
        Result script = cli(Map.of(), "completion", "bash");
        assertThat(script.code()).isZero();
        assertThat(script.out())
                .contains("complete -F", "plans", "runs", "watch")
                .endsWith("complete -o default -F _complete_sluice ./sluice\n");
    }

    private Result cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SluiceCli.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> env(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("SLUICE_URL", url());
        if (token != null) {
            env.put("SLUICE_TOKEN", token);
        }
        return env;
    }

    private static String url() {
        return "http://localhost:" + RestAssured.port;
    }
}
