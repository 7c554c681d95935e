package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseLimiterTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final TestClock clock = new TestClock(T0);
    private final ScriptedTransport sluice = new ScriptedTransport();
    private final List<Admission> admissions = new ArrayList<>();
    private final AtomicLong backlog = new AtomicLong();

    private LeaseLimiter limiter() {
        return SluiceClient.forPlan(java.net.URI.create("http://sluice"), "t", "demo", "auth")
                .clientId("auth-1")
                .wantPerSecond(10)
                .backlog(backlog::get)
                .clock(clock)
                .random(new SplittableRandom(7))
                .sleeper(clock::advance)
                .listener(new SluiceListener() {
                    @Override
                    public void onAdmission(Admission admission) {
                        admissions.add(admission);
                    }
                })
                .manualMaintenance()
                .transport(sluice)
                .leases();
    }

    @Test
    void enforcesTheLeasedRateLocallyAndTakesANewRateAtTheRefresh() {
        sluice.reply(200, ScriptedTransport.lease(10, 10, T0, 10, 2));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(sluice.last().path()).isEqualTo("/api/v1/plans/demo/services/auth/leases");
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
        assertThat(admitted(limiter, 20)).isEqualTo(10); // the burst, then nothing until it refills
        clock.advanceMillis(100);
        assertThat(admitted(limiter, 5)).isEqualTo(1); // 10/s refills one per 100 ms
        clock.advanceMillis(4_800);
        limiter.maintain(); // before refreshAfter: no request (the script would fail on one)
        assertThat(sluice.sent).hasSize(1);
        clock.advanceMillis(100);
        sluice.reply(200, ScriptedTransport.lease(40, 40, clock.instant(), 10, 2));
        limiter.maintain();
        assertThat(sluice.sent).hasSize(2);
        assertThat(limiter.admission().ratePerSecond()).isEqualTo(40.0);
        assertThat(limiter.admission().until()).isEqualTo(T0.plusSeconds(15));
    }

    @Test
    void keepsTheLastLeaseUntilItExpiresThenFallsBackToThePlansSafeRate() {
        sluice.reply(200, ScriptedTransport.lease(10, 10, T0, 10, 2));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        clock.advanceMillis(5_000);
        sluice.unreachable();
        limiter.maintain();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
        while (clock.instant().isBefore(T0.plusSeconds(10))) {
            clock.advanceMillis(250);
            if (sluice.remaining() == 0) {
                sluice.unreachable();
            }
            limiter.maintain();
        }
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.FALLBACK);
        assertThat(limiter.admission().ratePerSecond()).isEqualTo(2.0); // the plan's, named by the lease
        assertThat(limiter.admission().reason()).isIn("lease-expired", "unreachable");
        clock.advanceMillis(10_000);
        assertThat(admitted(limiter, 10)).isEqualTo(2); // a second of the safe rate at most
        clock.advanceMillis(30_000);
        sluice.reply(200, ScriptedTransport.lease(30, 30, clock.instant(), 10, 2));
        limiter.maintain();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.LEASED);
        assertThat(limiter.admission().ratePerSecond()).isEqualTo(30.0);
    }

    @Test
    void aLeaseExpiresOnTheHotPathEvenWhenNoOneMaintainsIt() {
        sluice.reply(200, ScriptedTransport.lease(100, 100, T0, 10, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        clock.advanceMillis(10_000);
        assertThat(limiter.tryAcquire()).isFalse(); // safe rate 0: nothing once the lease is gone
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.FALLBACK);
    }

    @Test
    void readsTheLeasesTimesAsLengthsNotAgainstItsOwnClock() {
        Instant skewed = T0.minus(Duration.ofDays(400)); // Sluice's clock far behind this machine's
        sluice.reply(200, ScriptedTransport.lease(10, 10, skewed, 20, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(limiter.admission().until()).isEqualTo(T0.plusSeconds(20));
        assertThat(limiter.tryAcquire()).isTrue();
    }

    @Test
    void anUnrestrictedAnswerAdmitsEverythingUntilItsEndAndOutlastsAnOutage() {
        sluice.reply(
                200,
                "{\"unrestricted\":true,\"reason\":\"run-completed\",\"run\":\"r1\",\"clientId\":\"auth-1\","
                        + "\"unrestrictedSeconds\":30,\"unrestrictedUntil\":\"2026-12-01T10:00:30Z\"}",
                "sluice-unrestricted",
                "30");
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.UNRESTRICTED);
        assertThat(limiter.admission().reason()).isEqualTo("run-completed");
        assertThat(admitted(limiter, 10_000)).isEqualTo(10_000);
        clock.advanceMillis(29_999);
        limiter.maintain(); // not yet due: no request
        clock.advanceMillis(1);
        sluice.unreachable();
        limiter.maintain();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.UNRESTRICTED);
        assertThat(limiter.tryAcquire()).isTrue();
    }

    @Test
    void aRefusalAdmitsNothingAndTheClientNeverAsksBeforeTheHint() {
        sluice.reply(
                429,
                "{\"type\":\"urn:sluice:problem:not-admitted\",\"status\":429,\"reason\":\"no-run\",\"retryAfterMillis\":1500}",
                "retry-after",
                "2",
                "retry-after-ms",
                "1500");
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.CLOSED);
        assertThat(limiter.admission().reason()).isEqualTo("no-run");
        assertThat(limiter.tryAcquire()).isFalse();
        clock.advanceMillis(1_499);
        limiter.maintain();
        assertThat(sluice.sent).hasSize(1);
        clock.advanceMillis(1);
        sluice.reply(200, ScriptedTransport.lease(10, 10, clock.instant(), 10, 0));
        limiter.maintain();
        assertThat(sluice.sent).hasSize(2);
        assertThat(limiter.tryAcquire()).isTrue();
    }

    @Test
    void statesWhatItTriedToSendAndItsBacklogAsItsWant() {
        sluice.reply(200, ScriptedTransport.lease(10, 10, T0, 10, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(Json.readObject(sluice.last().json()))
                .isEqualTo(Map.of("clientId", "auth-1", "wantPerSecond", 10.0)); // nothing asked yet: the floor
        for (int i = 0; i < 250; i++) {
            limiter.tryAcquire(); // 250 asks over the 5 s to the refresh: 50/s wanted
        }
        backlog.set(1_000); // drained over 10 s: 100/s more
        clock.advanceMillis(5_000);
        sluice.reply(200, ScriptedTransport.lease(150, 150, clock.instant(), 10, 0));
        limiter.maintain();
        assertThat(Json.readObject(sluice.last().json()).get("wantPerSecond")).isEqualTo(150.0);
    }

    @Test
    void givesTheLeaseBackOnCloseAndAdmitsNothingAfter() {
        sluice.reply(200, ScriptedTransport.lease(10, 10, T0, 10, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        sluice.reply(204, "");
        limiter.close();
        assertThat(sluice.last().method()).isEqualTo("DELETE");
        assertThat(sluice.last().path()).isEqualTo("/api/v1/plans/demo/services/auth/leases/auth-1");
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void blockingAcquireWaitsForTheBucketAndGivesUpAtItsTimeout() throws InterruptedException {
        sluice.reply(200, ScriptedTransport.lease(10, 1, T0, 10, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        assertThat(limiter.acquire(Duration.ofSeconds(1))).isTrue();
        Instant before = clock.instant();
        assertThat(limiter.acquire(Duration.ofSeconds(1))).isTrue();
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(100));
        before = clock.instant();
        assertThat(limiter.acquire(Duration.ofMillis(30))).isFalse();
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void manyThreadsTogetherNeverGetMoreThanTheBurst() throws Exception {
        sluice.reply(200, ScriptedTransport.lease(100, 100, T0, 10, 0));
        LeaseLimiter limiter = limiter();
        limiter.maintain();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    return admitted(limiter, 1_000);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : counts) {
                total += f.get(10, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100); // the clock stands still: the burst and not one more
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aForbiddenTokenIsReportedAndTheClientHoldsTheConfiguredSafeRate() {
        List<Integer> rejected = new ArrayList<>();
        sluice.reply(403, "{\"status\":403,\"detail\":\"token auth has no scope for demo/auth\"}");
        LeaseLimiter limiter = SluiceClient.forPlan(java.net.URI.create("http://sluice"), "t", "demo", "auth")
                .safeRatePerSecond(3)
                .clock(clock)
                .listener(new SluiceListener() {
                    @Override
                    public void onRejected(int status, String detail) {
                        rejected.add(status);
                    }
                })
                .manualMaintenance()
                .transport(sluice)
                .leases();
        limiter.maintain();
        assertThat(rejected).containsExactly(403);
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.FALLBACK);
        assertThat(limiter.admission().reason()).isEqualTo("refused:403");
        assertThat(admitted(limiter, 10)).isEqualTo(3);
    }

    private static int admitted(Limiter limiter, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire()) {
                n++;
            }
        }
        return n;
    }
}
