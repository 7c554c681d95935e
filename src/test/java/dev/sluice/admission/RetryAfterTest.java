package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void neverBeforeTheTrueWaitAndSpreadUniformlyBeyondIt() {
        SplittableRandom random = new SplittableRandom(42);
        long waitNanos = 300_000_000L;
        long spreadNanos = 2_000_000_000L;
        long[] millis = new long[10_000];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = RetryAfter.millis(waitNanos, spreadNanos, random);
            assertThat(millis[i]).isGreaterThanOrEqualTo(300).isLessThanOrEqualTo(2300);
        }
        Arrays.sort(millis);
        // Uniform over [300, 2300] ms: quartiles near 800, 1300 and 1800.
        assertThat(millis[2_500]).isBetween(750L, 850L);
        assertThat(millis[5_000]).isBetween(1250L, 1350L);
        assertThat(millis[7_500]).isBetween(1750L, 1850L);
    }

    @Test
    void spreadIsAtLeastTheWaitItself() {
        SplittableRandom random = new SplittableRandom(7);
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            max = Math.max(max, RetryAfter.millis(5_000_000_000L, 0, random));
        }
        assertThat(max).isGreaterThan(9_000).isLessThanOrEqualTo(10_000);
    }

    @Test
    void headerIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RetryAfter.headerSeconds(1)).isEqualTo(1);
        assertThat(RetryAfter.headerSeconds(1000)).isEqualTo(1);
        assertThat(RetryAfter.headerSeconds(1001)).isEqualTo(2);
    }
}
