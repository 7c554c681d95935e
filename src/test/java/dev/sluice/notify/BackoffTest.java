package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void theCapDoublesWithEachFailedAttemptUpToTheMaximum() {
        assertThat(backoff.cap(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.cap(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.cap(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.cap(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.cap(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.cap(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void fullJitterWaitsBetweenZeroAndTheCap() {
        assertThat(backoff.next(NOW, 5, () -> 0.0)).isEqualTo(NOW);
        assertThat(backoff.next(NOW, 5, () -> 0.5)).isEqualTo(NOW.plusSeconds(8));
        assertThat(backoff.next(NOW, 5, () -> 0.999_999)).isEqualTo(NOW.plusMillis(15_999));
    }

    @Test
    void seededWaitsSpreadOverTheWholeRangeAndNeverPassTheCap() {
        Random seeded = new Random(13);
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1_000; i++) {
            Duration wait = Duration.between(NOW, backoff.next(NOW, 4, seeded::nextDouble));
            assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(8));
            if (wait.compareTo(Duration.ofSeconds(4)) < 0) {
                below++;
            } else {
                above++;
            }
        }
        // Full jitter, not "cap plus a little": about half of the waits fall in each half.
        assertThat(below).isBetween(400L, 600L);
        assertThat(above).isBetween(400L, 600L);
    }

    @Test
    void aRandomOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> backoff.next(NOW, 1, () -> 1.0)).hasMessageContaining("[0, 1)");
    }

    @Test
    void aMaximumBelowTheInitialWaitIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("initial <= max");
    }
}
