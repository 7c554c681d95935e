package dev.sluice.control.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.control.Decision;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the run history costs a tick, measured on the real database: the time of whole ticks, and of
 * the history's statement alone, in one run of this test (the machine is shared: compare the two
 * as a ratio). Writes {@code target/run-history-cost.txt}.
 */
@QuarkusTest
class RunHistoryCostIT {
    static final int TICKS = 300;

    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @Inject
    RunHistory history;

    @Inject
    RunStore runs;

    @Inject
    jakarta.persistence.EntityManager em;

    @Test
    void aTickWritesAtMostOneSampleAndTheSampleIsASmallShareOfTheTick() throws IOException {
        // Holds of an hour: the run stays in its first stage, ticking and committing, for every tick here.
        String id = RunsOverHttp.storeAndStart(
                RunPlans.pushPlan("history-cost").replace("\"holdSeconds\": 5", "\"holdSeconds\": 3600"),
                "history-cost",
                "measure");
        long tickNanos = 0;
        for (int i = 0; i < TICKS; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("source", "reports", "errorRatio", 0.0))
                    .post("/api/v1/plans/history-cost/health-reports")
                    .then()
                    .statusCode(202);
            clock.advanceSeconds(1);
            long start = System.nanoTime();
            ticker.tick(id);
            tickNanos += System.nanoTime() - start;
        }
        int rows = history.of(id).size();
        assertThat(runs.get(id).state().status()).isEqualTo(dev.sluice.control.RunStatus.RUNNING);
        // Ticks a second apart in a young run: one sample each (and one for the start).
        assertThat(rows).isBetween(TICKS - 5, TICKS + 1);

        StoredRun run = runs.get(id);
        Decision nothing = new Decision(run.state(), List.of());
        long[] sampleNanos = {0};
        for (int i = 0; i < TICKS; i++) {
            clock.advanceSeconds(1);
            // Timed inside the transaction, once it holds its connection (as a tick's does by then):
            // a tick's sample shares the tick's connection and commit.
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("SELECT 1").getSingleResult();
                long start = System.nanoTime();
                history.recorded(run, nothing, "measure", null, clock.instant());
                sampleNanos[0] += System.nanoTime() - start;
            });
        }
        assertThat(history.of(id).size()).isBetween(rows, rows + TICKS);
        double perTick = tickNanos / 1e3 / TICKS;
        double perSample = sampleNanos[0] / 1e3 / TICKS;
        String report = String.format(
                Locale.ROOT,
                "ticks: %d, samples stored: %d%nmean tick (read health, decide, commit, sample): %.0f µs%n"
                        + "mean sample statement inside a transaction holding its connection (a tick shares"
                        + " its connection and commit): %.0f µs"
                        + " (%.1f%% of a tick)%nload average: %s%n",
                TICKS,
                rows,
                perTick,
                perSample,
                100 * perSample / perTick,
                Files.readString(Path.of("/proc/loadavg")).trim());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/run-history-cost.txt"), report);
    }
}
