package dev.sluice.health.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs whose tier is probed over real HTTP, against a local server that can answer, fail, hang
 * and flap. The application's clock is moved by hand between ticks.
 */
@QuarkusTest
class HttpProbeIT {
    enum Mode {
        OK,
        FAIL,
        HANG,
        FLAP
    }

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    private HttpServer tier;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    @BeforeEach
    void startTier() throws IOException {
        tier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tier.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        tier.createContext("/healthz", exchange -> {
            int n = requests.incrementAndGet();
            Mode m = mode.get();
            if (m == Mode.HANG) {
                try {
                    released.await(5, TimeUnit.SECONDS); // longer than the probe's 300 ms timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = switch (m) {
                case OK, HANG -> 200;
                case FAIL -> 503;
                case FLAP -> n % 2 == 0 ? 200 : 503;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        tier.start();
    }

    @AfterEach
    void stopTier() {
        released.countDown();
        tier.stop(0);
    }

    @Test
    void healthyTierAdvancesAndFailingTierStepsBack() {
        String id = startRun("probe-ok");
        ticks(id, 6);
        assertStage(id, "half");
        mode.set(Mode.FAIL);
        ticks(id, 2);
        assertStage(id, "quarter");
        given().get("/api/v1/runs/" + id)
                .then()
                .body("gates[0].reading.verdict", equalTo("RED"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("probe"));
    }

    @Test
    void hangingTierIsUnknownAndHoldsTheRamp() {
        String id = startRun("probe-hang");
        mode.set(Mode.HANG);
        long started = System.nanoTime();
        ticks(id, 8);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                .as("a hanging target cannot stall the loop")
                .isLessThan(15);
        assertStage(id, "quarter");
        given().get("/api/v1/runs/" + id)
                .then()
                .body("status", equalTo("running"))
                .body("gates[0].state", equalTo("unknown"))
                .body(
                        "gates[0].reading.detail",
                        org.hamcrest.Matchers.anyOf(
                                containsString("timed out"),
                                containsString("circuit open"),
                                containsString("no answer in time")));
    }

    @Test
    void deadTierIsUnknownNotGreen() {
        String id = startRun("probe-dead");
        tier.stop(0);
        ticks(id, 8);
        assertStage(id, "quarter");
        given().get("/api/v1/runs/" + id).then().body("gates[0].state", equalTo("unknown"));
    }

    @Test
    void flappingTierNeverMakesTheRampOscillateAndEndsTrickling() {
        String id = startRun("probe-flap");
        ticks(id, 6);
        assertStage(id, "half");
        mode.set(Mode.FLAP);
        ticks(id, 60);
        // Half the probes fail: over the window that reads as a 50% error ratio, a steady red. The
        // ramp goes down and stays down, one step per bad spell; it never climbs back while the tier
        // flaps, and at the first stage it admits only a trickle, waiting for the tier.
        java.util.List<String> actions = given().get("/api/v1/runs/" + id + "/timeline?limit=100")
                .then()
                .extract()
                .path("action");
        java.util.List<String> moves = actions.stream()
                .filter(a -> a.equals("stage-advanced") || a.equals("stage-stepped-back"))
                .toList();
        assertThat(moves).startsWith("stage-advanced", "stage-stepped-back");
        assertThat(moves.subList(1, moves.size())).containsOnly("stage-stepped-back");
        assertThat(actions).contains("trickle-started");
        given().get("/api/v1/runs/" + id)
                .then()
                .body("status", equalTo("running"))
                .body("stage.name", equalTo("quarter"))
                .body("stage.budgetPerSecond", equalTo(4.0f));
    }

    private String startRun(String plan) {
        String url = "http://127.0.0.1:" + tier.getAddress().getPort() + "/healthz";
        return RunsOverHttp.storeAndStart(RunPlans.httpPlan(plan, url), plan, "probe test");
    }

    private void ticks(String id, int count) {
        RunsOverHttp.tickSeconds(clock, ticker, id, count);
    }

    private static void assertStage(String id, String stage) {
        given().get("/api/v1/runs/" + id).then().body("stage.name", equalTo(stage));
    }
}
