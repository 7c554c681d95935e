package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MutableClock;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PermitBucket} guarantees, run over each implementation (local and PostgreSQL).
 * Time is a hand-moved clock.
 */
abstract class PermitBucketContract {
    protected final MutableClock clock = new MutableClock();

    protected abstract PermitBucket create(String name, RateLimit limit);

    @Test
    void aNewBucketHoldsOnePermitSoItReleasesNoBurstOnTopOfTheStage() {
        PermitBucket bucket = create("new", RateLimit.of(100, 1.0));
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofMillis(100));
        assertThat(drain(bucket)).isEqualTo(10);
    }

    @Test
    void availableTokensSayWhatTheBucketHolds() {
        PermitBucket bucket = create("available", RateLimit.of(100, 0.5));
        assertThat(bucket.availableTokens()).isEqualTo(1);
        clock.advance(Duration.ofMillis(200));
        assertThat(bucket.availableTokens()).isEqualTo(21);
        clock.advance(Duration.ofSeconds(10));
        assertThat(bucket.availableTokens()).as("never more than a burst").isEqualTo(50);
        bucket.tryConsume(50);
        assertThat(bucket.availableTokens()).isZero();
    }

    @Test
    void admitsRateTimesTimePlusTheFirstPermitWithinOneToken() {
        PermitBucket bucket = create("long-run", RateLimit.of(100, 1.0));
        long admitted = drain(bucket);
        for (int second = 0; second < 60; second++) {
            clock.advance(Duration.ofMillis(1000));
            admitted += drain(bucket);
        }
        assertThat(admitted).isBetween(100L * 60, 100L * 60 + 2);
    }

    @Test
    void fractionalRatesAreHonoured() {
        PermitBucket bucket = create("fractional", RateLimit.of(2.5, 2.0));
        long admitted = drain(bucket);
        for (int second = 0; second < 40; second++) {
            clock.advance(Duration.ofSeconds(1));
            admitted += drain(bucket);
        }
        assertThat(admitted).isBetween(100L, 100L + 2);
    }

    @Test
    void anIdleBucketFillsToOneBurstAndEmptyTakesIt() {
        PermitBucket bucket = create("idle", RateLimit.of(100, 0.5));
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        bucket.empty();
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(drain(bucket)).as("one burst, not ten seconds of rate").isEqualTo(50);
    }

    @Test
    void raisingTheRateNeverReleasesMoreThanTheNewBurst() {
        PermitBucket bucket = create("raise", RateLimit.of(10, 1.0));
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        bucket.reconfigure(RateLimit.of(1000, 1.0));
        assertThat(drain(bucket)).as("tokens kept from before, no fresh burst").isEqualTo(10);
        clock.advance(Duration.ofSeconds(5));
        assertThat(drain(bucket)).as("at most the new burst").isEqualTo(1000);
    }

    @Test
    void aStepBackTakesEffectOnTheNextRequest() {
        PermitBucket bucket = create("cut", RateLimit.of(1000, 1.0));
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        bucket.reconfigure(RateLimit.of(10, 1.0));
        assertThat(bucket.tryConsume(11).isConsumed()).isFalse();
        assertThat(bucket.tryConsume(10).isConsumed()).isTrue();
        assertThat(bucket.tryConsume(1).isConsumed()).isFalse();
        assertThat(bucket.limit()).isEqualTo(RateLimit.of(10, 1.0));
    }

    @Test
    void aRefusalSaysHowLongUntilThePermitsExist() {
        PermitBucket bucket = create("wait", RateLimit.of(10, 1.0));
        drain(bucket);
        ConsumptionProbe probe = bucket.tryConsume(2);
        assertThat(probe.isConsumed()).isFalse();
        assertThat(probe.getNanosToWaitForRefill()).isBetween(199_000_000L, 201_000_000L);
        clock.advance(Duration.ofMillis(200));
        assertThat(bucket.tryConsume(2).isConsumed()).isTrue();
    }

    /** Takes every token there is, in two calls: ask for far too many, then for what remains. */
    protected static long drain(PermitBucket bucket) {
        ConsumptionProbe probe = bucket.tryConsume(1_000_000);
        long available = probe.getRemainingTokens();
        if (available <= 0) {
            return 0;
        }
        assertThat(bucket.tryConsume(available).isConsumed()).isTrue();
        return available;
    }
}
