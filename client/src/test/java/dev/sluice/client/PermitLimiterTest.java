package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermitLimiterTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String GRANTED = "{\"granted\":1,\"remaining\":9,\"ratePerSecond\":10.0,\"stage\":\"half\"}";
    private final TestClock clock = new TestClock(T0);
    private final ScriptedTransport sluice = new ScriptedTransport();
    private final List<Duration> waits = new ArrayList<>();

    private PermitLimiter limiter(long seed) {
        return SluiceClient.forRun(java.net.URI.create("http://sluice"), "t", "run-1", "api")
                .clientId("api-1")
                .safeRatePerSecond(2)
                .backlog(() -> 40)
                .clock(clock)
                .sleeper(clock::advance)
                .random(new SplittableRandom(seed))
                .listener(new SluiceListener() {
                    @Override
                    public void onRetryAfter(Duration wait) {
                        waits.add(wait);
                    }
                })
                .transport(sluice)
                .permits();
    }

    @Test
    void asksPerRequestNamingItselfAndItsBacklog() {
        sluice.reply(200, GRANTED);
        PermitLimiter limiter = limiter(1);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(sluice.last().path()).isEqualTo("/api/v1/runs/run-1/services/api/permits");
        assertThat(sluice.last().json()).isEqualTo("{\"count\":1,\"clientId\":\"api-1\",\"backlog\":40}");
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.PERMITS);
        assertThat(limiter.admission().ratePerSecond()).isEqualTo(10.0);
    }

    @Test
    void aRefusalsMillisecondHintIsHonouredAndNoOneAsksSooner() {
        sluice.reply(
                429,
                "{\"reason\":\"over-rate\",\"retryAfterMillis\":1234}",
                "retry-after",
                "2",
                "retry-after-ms",
                "1234");
        PermitLimiter limiter = limiter(1);
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(waits).containsExactly(Duration.ofMillis(1234));
        clock.advanceMillis(1_233);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire()).isFalse(); // no request: the script holds none
        }
        assertThat(sluice.sent).hasSize(1);
        clock.advanceMillis(1);
        sluice.reply(200, GRANTED);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(sluice.sent).hasSize(2);
    }

    @Test
    void aWholeSecondHintAloneIsJitteredOverTheFollowingSecondNeverSooner() {
        List<Long> millis = new ArrayList<>();
        for (long seed = 0; seed < 200; seed++) {
            waits.clear();
            sluice.reply(429, "{\"reason\":\"over-rate\"}", "retry-after", "2");
            limiter(seed).tryAcquire();
            millis.add(waits.get(0).toMillis());
        }
        assertThat(millis).allMatch(m -> m >= 2_000 && m < 3_000);
        assertThat(millis.stream().filter(m -> m < 2_500).count()).isBetween(70L, 130L); // spread, not bunched
    }

    @Test
    void blockingAcquireWaitsOutTheHintThenAsksOnce() throws InterruptedException {
        sluice.reply(429, "{\"reason\":\"over-rate\"}", "retry-after-ms", "300");
        sluice.reply(200, GRANTED);
        PermitLimiter limiter = limiter(1);
        assertThat(limiter.acquire(Duration.ofSeconds(1))).isTrue();
        assertThat(clock.instant()).isEqualTo(T0.plusMillis(300));
        assertThat(sluice.sent).hasSize(2);
    }

    @Test
    void blockingAcquireGivesUpAtOnceWhenTheHintIsBeyondItsTimeout() throws InterruptedException {
        sluice.reply(429, "{\"reason\":\"blocked\"}", "retry-after-ms", "5000");
        PermitLimiter limiter = limiter(1);
        assertThat(limiter.acquire(Duration.ofSeconds(1))).isFalse();
        assertThat(clock.instant()).isEqualTo(T0); // no pointless wait
        assertThat(sluice.sent).hasSize(1);
    }

    @Test
    void anUnreachableSluiceMeansTheSafeRateUntilTheBackoffEnds() {
        sluice.unreachable();
        PermitLimiter limiter = limiter(1);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limiter.tryAcquire() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(2); // a second of the safe rate, asked nothing more
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.FALLBACK);
        assertThat(sluice.sent).hasSize(1);
        clock.advanceMillis(500); // the first backoff is at most half a second
        sluice.reply(200, GRANTED);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.admission().kind()).isEqualTo(Admission.Kind.PERMITS);
    }

    @Test
    void anUnrestrictedAnswerAdmitsWithoutAskingUntilItsEnd() {
        sluice.reply(
                200, "{\"unrestricted\":true,\"reason\":\"run-completed\",\"granted\":1,\"unrestrictedSeconds\":30}");
        PermitLimiter limiter = limiter(1);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire()).isTrue();
        }
        assertThat(sluice.sent).hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        sluice.reply(200, GRANTED);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(sluice.sent).hasSize(2);
    }
}
