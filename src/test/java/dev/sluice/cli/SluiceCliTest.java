package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SluiceCliTest {
    @Test
    void noArgumentsOrServerOptionsStartTheServerAndAWordIsACommand() {
        assertThat(SluiceCli.isCommand(new String[] {})).isFalse();
        assertThat(SluiceCli.isCommand(new String[] {"-Dquarkus.http.port=9090"}))
                .isFalse();
        assertThat(SluiceCli.isCommand(new String[] {"runs", "list"})).isTrue();
        assertThat(SluiceCli.isCommand(new String[] {"simulate", "x.yaml"})).isTrue();
        assertThat(SluiceCli.isCommand(new String[] {"--help"})).isTrue();
        assertThat(SluiceCli.isCommand(new String[] {"plnas"}))
                .as("a typo is a command, refused, not a server")
                .isTrue();
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatNamesIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SluiceCli.run(
                new String[] {"plnas", "list"},
                Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unmatched argument", "'plnas'");
    }

    @Test
    void durationsReadMillisecondsSecondsMinutesAndHours() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("ten minutes"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a duration");
    }

    @Test
    void aQueryCarriesOnlyTheParametersThatAreSetEncoded() {
        assertThat(SluiceApi.query(SluiceApi.parameters("plan", "demo", "run", null, "q", "store back & up")))
                .isEqualTo("?plan=demo&q=store%20back%20%26%20up");
        assertThat(SluiceApi.query(SluiceApi.parameters("plan", null))).isEmpty();
    }

    @Test
    void aScenarioThatWouldNotFitThisJvmsHeapIsRefusedBeforeItRuns(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path plan =
                java.nio.file.Path.of("examples/reference-plan.yaml").toAbsolutePath();
        java.nio.file.Path scenario = dir.resolve("huge.yaml");
        java.nio.file.Files.writeString(
                scenario,
                "plan: " + plan + "\n"
                        + "clients:\n"
                        + "  timeoutSeconds: 3600\n"
                        + "  retry: {policy: backoff, maxAttempts: 20, maxDelaySeconds: 600}\n"
                        + "simulation: {stepMillis: 10, horizonSeconds: 3600}\n");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                SimulateCommand.memoryBudgetBytes() < 20L << 30,
                "this JVM may grow past 26 GiB: the scenario would fit, nothing to refuse");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SluiceCli.run(
                new String[] {"simulate", scenario.toString()},
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("is not a valid scenario", "/simulation", "memory-budget", "needs ~", "the limit is", "-Xmx");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Simulated in");
    }
}
