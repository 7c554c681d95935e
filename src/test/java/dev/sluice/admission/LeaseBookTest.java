package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseBookTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void clientsShareMaxMinFairlyOnceAllHaveRefreshed() {
        LeaseBook book = new LeaseBook();
        book.grant("small", 20, 150, 1, TTL, now);
        book.grant("big-1", 500, 150, 1, TTL, now);
        book.grant("big-2", 500, 150, 1, TTL, now);
        now = now.plusSeconds(5);
        LeaseBook.Grant small = book.grant("small", 20, 150, 1, TTL, now);
        LeaseBook.Grant big1 = book.grant("big-1", 500, 150, 1, TTL, now);
        LeaseBook.Grant big2 = book.grant("big-2", 500, 150, 1, TTL, now);
        assertThat(small.ratePerSecond()).isEqualTo(20.0);
        assertThat(big1.ratePerSecond()).isCloseTo(65, within(1e-9));
        assertThat(big2.ratePerSecond()).isCloseTo(65, within(1e-9));
        assertThat(big2.burst()).isEqualTo(65);
        assertThat(big2.refreshAfter()).isEqualTo(now.plusSeconds(5));
    }

    @Test
    void aNewcomerGetsOnlyWhatOthersLeaveFree() {
        LeaseBook book = new LeaseBook();
        assertThat(book.grant("first", 100, 100, 1, TTL, now).ratePerSecond()).isEqualTo(100.0);
        assertThat(book.grant("second", 100, 100, 1, TTL, now).ratePerSecond()).isZero();
        now = now.plusSeconds(5);
        assertThat(book.grant("first", 100, 100, 1, TTL, now).ratePerSecond()).isEqualTo(50.0);
        assertThat(book.grant("second", 100, 100, 1, TTL, now).ratePerSecond()).isEqualTo(50.0);
    }

    @Test
    void anExpiredLeaseFreesItsShare() {
        LeaseBook book = new LeaseBook();
        book.grant("gone", 100, 100, 1, TTL, now);
        now = now.plusSeconds(10);
        assertThat(book.live(now)).isZero();
        assertThat(book.grant("next", 100, 100, 1, TTL, now).ratePerSecond()).isEqualTo(100.0);
    }

    @Test
    void aRefreshPicksUpANewAllocation() {
        LeaseBook book = new LeaseBook();
        assertThat(book.grant("c", 500, 400, 1, TTL, now).ratePerSecond()).isEqualTo(400.0);
        now = now.plusSeconds(5);
        assertThat(book.grant("c", 500, 100, 1, TTL, now).ratePerSecond()).isEqualTo(100.0);
        assertThat(book.leasedPerSecond(now)).isEqualTo(100.0);
    }

    @Test
    void leasedRatesNeverAddUpToMoreThanTheShare() {
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            LeaseBook book = new LeaseBook();
            double share = 100 + random.nextInt(2000);
            for (int i = 0; i < 2000; i++) {
                now = now.plusMillis(random.nextInt(500));
                String client = "c" + random.nextInt(40);
                if (random.nextInt(20) == 0) {
                    book.release(client);
                } else {
                    book.grant(client, random.nextInt(300), share, 1, TTL, now);
                }
                assertThat(book.leasedPerSecond(now)).as("seed %d", seed).isLessThanOrEqualTo(share + 1e-9);
            }
        }
    }

    @Test
    void waterLevelIsTheMaxMinFairShare() {
        assertThat(dev.sluice.control.Allocator.waterLevel(new double[] {20, 500, 500}, 150))
                .isEqualTo(65.0);
        assertThat(dev.sluice.control.Allocator.waterLevel(new double[] {10, 20}, 100))
                .isInfinite();
        assertThat(dev.sluice.control.Allocator.waterLevel(new double[] {100, 100, 100, 100}, 100))
                .isEqualTo(25.0);
        assertThat(dev.sluice.control.Allocator.waterLevel(new double[] {}, 100))
                .isInfinite();
    }
}
