package dev.sluice.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.control.run.RunTicker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client library against the real Sluice over HTTP, through a front the test can take away.
 * Client and server read the same test clock, so the lease's timing is the test's to move.
 */
@QuarkusTest
class SluiceClientIT {
    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @TestHTTPResource("/")
    URL sluiceUrl;

    private SwitchableFront front;

    @AfterEach
    void closeFront() {
        if (front != null) {
            front.close();
        }
    }

    /** No gates: each stage holds 3 s. {@code a} (critical, wants 300/s) gets 100/s, then 200/s, then 300/s. */
    private static String rampPlan(String name) {
        return """
                {"name": "%s",
                 "tier": {"name": "kv", "capacityPerSecond": 400},
                 "services": [
                   {"name": "a", "demandPerSecond": 300, "priority": "critical"},
                   {"name": "b", "demandPerSecond": 100, "dependsOn": ["a"]}],
                 "stages": [
                   {"name": "quarter", "share": 0.25, "holdSeconds": 3},
                   {"name": "half", "share": 0.5, "holdSeconds": 3},
                   {"name": "full", "share": 1.0, "holdSeconds": 3}],
                 "policy": {"safeRatePerSecond": 5, "tickIntervalMillis": 1000}}
                """.formatted(name);
    }

    private SluiceClient.Builder client(String plan, String service) throws Exception {
        front = new SwitchableFront(sluiceUrl.toURI());
        String token = TestTokens.token(plan + "-client", List.of("client"), List.of(plan + "/" + service));
        return SluiceClient.forPlan(front.uri(), token, plan, service)
                .clientId(plan + "-1")
                .wantPerSecond(300)
                .clock(clock)
                .sleeper(clock::advance)
                .random(new SplittableRandom(11))
                .requestTimeout(
                        Duration.ofSeconds(30)) // a loaded CI machine, not a slow Sluice: no test is about timeouts
                .manualMaintenance();
    }

    @Test
    void aStageChangeReachesTheClientWithinOneRefresh() throws Exception {
        String run = RunsOverHttp.storeAndStart(rampPlan("cl-stage"), "cl-stage", "client test");
        try (LeaseLimiter limiter = client("cl-stage", "a").leases()) {
            limiter.maintain();
            assertThat(limiter.admission().kind()).as("%s", limiter.admission()).isEqualTo(Admission.Kind.LEASED);
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(100.0);
            RunsOverHttp.tickSeconds(clock, ticker, run, 3); // hold over: the run enters "half"
            given().get("/api/v1/runs/" + run).then().body("stage.name", org.hamcrest.Matchers.equalTo("half"));
            limiter.maintain(); // the lease is not due yet: the client still enforces 100/s
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(100.0);
            clock.advanceSeconds(2); // refreshAfter: half the 10 s lease
            limiter.maintain();
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(200.0);
            assertThat(front.forwarded()).isEqualTo(2); // one lease, one refresh
        }
        assertThat(front.forwarded()).isEqualTo(3); // closing gave the lease back
        given().get("/api/v1/runs/" + run + "/services/a/admission")
                .then()
                .body("liveLeases", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void whenSluiceGoesAwayTheLeaseHoldsUntilItExpiresThenTheSafeRateUntilSluiceIsBack() throws Exception {
        RunsOverHttp.storeAndStart(rampPlan("cl-away"), "cl-away", "client test");
        try (LeaseLimiter limiter = client("cl-away", "a").leases()) {
            limiter.maintain();
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(100.0);
            front.stop();
            clock.advanceSeconds(5);
            limiter.maintain(); // the refresh fails: the lease stays in force
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
            assertThat(limiter.tryAcquire()).isTrue();
            clock.advanceSeconds(5);
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.FALLBACK);
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(5.0); // the plan's safe rate, from the lease
            int admitted = 0;
            for (int i = 0; i < 100; i++) {
                admitted += limiter.tryAcquire() ? 1 : 0;
            }
            assertThat(admitted).isLessThanOrEqualTo(5);
            front.start();
            clock.advanceSeconds(31); // past any backoff
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(100.0);
        }
    }

    @Test
    void whenTheRunCompletesTheClientIsToldAdmissionIsUnrestrictedAndStopsAsking() throws Exception {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("cl-end"), "cl-end", "client test");
        try (LeaseLimiter limiter = client("cl-end", "a").leases()) {
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
            RunsOverHttp.completeWithHealthyReports(clock, ticker, "cl-end", run);
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.UNRESTRICTED);
            assertThat(limiter.admission().reason()).isEqualTo("run-completed");
            int asked = front.forwarded();
            for (int i = 0; i < 10_000; i++) {
                assertThat(limiter.tryAcquire()).isTrue();
            }
            clock.advanceSeconds(29);
            limiter.maintain();
            assertThat(front.forwarded()).isEqualTo(asked); // nothing asked while the answer holds
            clock.advanceSeconds(1);
            limiter.maintain();
            assertThat(front.forwarded()).isEqualTo(asked + 1);
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.UNRESTRICTED);
        }
    }

    @Test
    void permitsHonourTheRetryHintWithoutAskingSooner() throws Exception {
        String run = RunsOverHttp.storeAndStart(rampPlan("cl-permit"), "cl-permit", "client test");
        RunsOverHttp.fillBuckets(clock, run, "a");
        PermitLimiter limiter = client("cl-permit", "a").permits();
        int granted = 0;
        while (limiter.tryAcquire()) {
            granted++;
        }
        assertThat(granted).isEqualTo(100); // a's burst: one second of 100/s
        Admission refused = limiter.admission();
        assertThat(refused.kind()).isEqualTo(Admission.Kind.CLOSED);
        assertThat(refused.reason()).isEqualTo("over-rate");
        int asked = front.forwarded();
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire()).isFalse();
        }
        assertThat(front.forwarded()).isEqualTo(asked); // no request before the hint
        clock.advance(Duration.between(clock.instant(), refused.until()));
        assertThat(limiter.tryAcquire()).isTrue(); // the bucket refilled meanwhile on Sluice's side
        assertThat(front.forwarded()).isEqualTo(asked + 1);
    }

    @Test
    void beforeAnyRunAClosedPlanKeepsTheClientClosedUntilTheRunStarts() throws Exception {
        given().contentType(ContentType.JSON)
                .body(rampPlan("cl-wait"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        try (LeaseLimiter limiter = client("cl-wait", "a").leases()) {
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.CLOSED);
            assertThat(limiter.admission().reason()).isEqualTo("no-run");
            assertThat(limiter.tryAcquire()).isFalse();
            given().contentType(ContentType.JSON)
                    .body(Map.of("plan", "cl-wait", "reason", "client test"))
                    .post("/api/v1/runs")
                    .then()
                    .statusCode(201);
            clock.advance(Duration.between(clock.instant(), limiter.admission().until()));
            limiter.maintain();
            assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
            assertThat(limiter.tryAcquire()).isTrue();
        }
    }

    @Test
    void theBackgroundThreadTakesTheLeaseWithoutBeingAsked() throws Exception {
        RunsOverHttp.storeAndStart(rampPlan("cl-thread"), "cl-thread", "client test");
        front = new SwitchableFront(sluiceUrl.toURI());
        String token = TestTokens.token("cl-thread-client", List.of("client"), List.of("cl-thread/a"));
        try (LeaseLimiter limiter = SluiceClient.forPlan(front.uri(), token, "cl-thread", "a")
                .wantPerSecond(50)
                .clock(clock)
                .requestTimeout(Duration.ofSeconds(30))
                .leases()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> limiter.admission().kind() == Admission.Kind.LEASED);
            assertThat(limiter.admission().ratePerSecond()).isEqualTo(50.0);
        }
    }
}
