package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
    void millisecondReadersRefusedTogetherComeBackEvenlyPerHundredMilliseconds() {
        SplittableRandom random = new SplittableRandom(11);
        long waitNanos = 300_000_000L;
        long spreadNanos = 2_000_000_000L;
        int clients = 20_000;
        int[] per100Millis = new int[20]; // [300, 2300) ms in 100 ms bins
        for (int i = 0; i < clients; i++) {
            long millis = RetryAfter.of(waitNanos, spreadNanos, random).millis();
            assertThat(millis).as("never before the true wait").isGreaterThanOrEqualTo(300);
            per100Millis[(int) Math.min(19, (millis - 300) / 100)]++;
        }
        // 1,000 expected per bin: every bin within 10% of it.
        assertThat(Arrays.stream(per100Millis).boxed())
                .allSatisfy(n -> assertThat(n).isBetween(900, 1100));
    }

    @Test
    void wholeSecondReadersRefusedTogetherComeBackEvenlyPerSecondNeverBeforeTheWait() {
        SplittableRandom random = new SplittableRandom(12);
        int clients = 20_000;
        // A 10 ms wait and a 2 s spread: seconds 1 and 2, half each (rounding up said 1 to 99.5%).
        Map<Long, Integer> perSecond = returns(10_000_000L, 2_000_000_000L, clients, random);
        assertThat(perSecond).containsOnlyKeys(1L, 2L);
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
        // A 1.2 s wait and a 5 s spread: never before 2 s, then 5 whole seconds, a fifth each.
        perSecond = returns(1_200_000_000L, 5_000_000_000L, clients, random);
        assertThat(perSecond).containsOnlyKeys(2L, 3L, 4L, 5L, 6L);
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isBetween(3_800, 4_200));
        // A 1 s spread still spreads over two whole seconds, so refused clients never all return at once.
        perSecond = returns(10_000_000L, 1_000_000_000L, clients, random);
        assertThat(perSecond).containsOnlyKeys(1L, 2L);
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
    }

    @Test
    void wholeSecondsAndMillisecondsAreTheSameDrawSoALongWaitIsLongInBoth() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 1_000; i++) {
            RetryAfter r = RetryAfter.of(10_000_000L, 2_000_000_000L, random);
            // The first half of the millisecond range says 1 s, the second half 2 s.
            assertThat(r.seconds()).isEqualTo(r.millis() <= 1_010 ? 1L : 2L);
        }
    }

    private static Map<Long, Integer> returns(long waitNanos, long spreadNanos, int clients, SplittableRandom random) {
        Map<Long, Integer> perSecond = new TreeMap<>();
        long earliest = (waitNanos + 999_999_999L) / 1_000_000_000L;
        for (int i = 0; i < clients; i++) {
            long seconds = RetryAfter.of(waitNanos, spreadNanos, random).seconds();
            assertThat(seconds).as("never before the true wait rounded up").isGreaterThanOrEqualTo(earliest);
            perSecond.merge(seconds, 1, Integer::sum);
        }
        return perSecond;
    }

    @Test
    void headerIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RetryAfter.headerSeconds(1)).isEqualTo(1);
        assertThat(RetryAfter.headerSeconds(1000)).isEqualTo(1);
        assertThat(RetryAfter.headerSeconds(1001)).isEqualTo(2);
    }
}
