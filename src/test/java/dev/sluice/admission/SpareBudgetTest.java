package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two services of one run sharing what they leave unused: a service short of its share borrows
 * it, never at the expense of a service that uses its own, and never when an override pins it.
 */
class SpareBudgetTest {
    private final MutableClock clock = new MutableClock();
    private final SpareBudget spare = new SpareBudget(new ClockTimeMeter(clock));
    private final ServiceAdmission idle = service("idle");
    private final ServiceAdmission busy = service("busy");

    private ServiceAdmission service(String name) {
        return new ServiceAdmission(
                name,
                limit -> new LocalPermitBucket(limit, new ClockTimeMeter(clock)),
                r -> n -> {},
                spare,
                () -> idle.savedTokens() + busy.savedTokens());
    }

    /** Both services at 100/s, bursts of a tenth of a second; the spare refills at their sum. */
    private void open(ServiceLimit idleLimit, ServiceLimit busyLimit) {
        idle.allocate(idleLimit, clock.instant());
        busy.allocate(busyLimit, clock.instant());
        spare.reconfigure(RateLimit.of(
                idle.permitLimit().ratePerSecond() + busy.permitLimit().ratePerSecond(), 1.0));
    }

    @Test
    void aServiceShortOfItsShareBorrowsWhatAnIdleServiceLeftUnused() {
        open(new ServiceLimit(false, List.of(), 100, 0.1), new ServiceLimit(false, List.of(), 100, 0.1));
        clock.advance(Duration.ofMillis(500));
        // Half a second of the run's 200/s is 100: the busy service's own full bucket (10), then on
        // loan everything else but the idle service's full bucket, which is still its own.
        assertThat(grantedOneByOne(busy)).isEqualTo(90);
        assertThat(grantedOneByOne(busy)).as("nothing more to lend").isZero();
    }

    @Test
    void aServiceThatUsesItsShareIsNeverShortBecauseAnotherBorrowed() {
        open(new ServiceLimit(false, List.of(), 100, 0.1), new ServiceLimit(false, List.of(), 100, 0.1));
        clock.advance(Duration.ofMillis(500));
        assertThat(grantedOneByOne(busy)).isEqualTo(90);
        // The idle service's clients arrive: its own bucket still holds its burst.
        assertThat(grantedOneByOne(idle)).isEqualTo(10);
    }

    @Test
    void whatServicesUseOfTheirOwnSharesIsNotLentAgain() {
        open(new ServiceLimit(false, List.of(), 100, 0.1), new ServiceLimit(false, List.of(), 100, 0.1));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(100));
            grantedOneByOne(idle);
            grantedOneByOne(busy);
        }
        // Each took its own 10 a step: the run admitted its rate, with nothing left over to lend.
        clock.advance(Duration.ofMillis(100));
        assertThat(grantedOneByOne(idle)).isEqualTo(10);
        assertThat(grantedOneByOne(busy)).as("its own step, no loan").isEqualTo(10);
    }

    @Test
    void aPinnedServiceBorrowsNothing() {
        open(new ServiceLimit(false, List.of(), 100, 0.1), new ServiceLimit(false, List.of(), 100, 0.1, true));
        clock.advance(Duration.ofMillis(500));
        assertThat(grantedOneByOne(busy)).as("its pin only").isEqualTo(10);
    }

    @Test
    void aClosedSpareLendsNothing() {
        idle.allocate(new ServiceLimit(false, List.of(), 100, 0.1), clock.instant());
        busy.allocate(new ServiceLimit(false, List.of(), 100, 0.1), clock.instant());
        clock.advance(Duration.ofMillis(500));
        assertThat(grantedOneByOne(busy)).isEqualTo(10);
    }

    @Test
    void whatAccruedWhileEverythingWasClosedIsNotLentWhenTheRunReopens() {
        open(new ServiceLimit(false, List.of(), 100, 0.1), new ServiceLimit(false, List.of(), 100, 0.1));
        spare.reconfigure(RateLimit.CLOSED);
        clock.advance(Duration.ofSeconds(10));
        spare.reconfigure(RateLimit.of(200, 1.0));
        assertThat(spare.available()).isZero();
    }

    @Test
    void withLoansTheRunNeverGrantsMoreInASecondThanItsRatePlusWhatItsBucketsMayHold() {
        ServiceAdmission third = service("third");
        idle.allocate(new ServiceLimit(false, List.of(), 100, 0.1), clock.instant());
        busy.allocate(new ServiceLimit(false, List.of(), 100, 0.1), clock.instant());
        third.allocate(new ServiceLimit(false, List.of(), 100, 0.1), clock.instant());
        RateLimit spareLimit = RateLimit.of(300, 0.2);
        spare.reconfigure(spareLimit);
        java.util.Random random = new java.util.Random(7);
        long[] grantedPerStep = new long[600];
        for (int step = 0; step < grantedPerStep.length; step++) {
            clock.advance(Duration.ofMillis(10));
            for (ServiceAdmission svc : List.of(idle, busy, third)) {
                // Clients that come and go: nothing for a while, then more than the share.
                int asks = random.nextInt(10) < 3 ? 0 : random.nextInt(4);
                for (int i = 0; i < asks; i++) {
                    if (svc.admit(1) instanceof ServiceAdmission.Granted) {
                        grantedPerStep[step]++;
                    }
                }
            }
        }
        long busiestSecond = 0;
        long total = 0;
        for (int from = 0; from + 100 <= grantedPerStep.length; from++) {
            long second = 0;
            for (int s = from; s < from + 100; s++) {
                second += grantedPerStep[s];
            }
            busiestSecond = Math.max(busiestSecond, second);
        }
        for (long g : grantedPerStep) {
            total += g;
        }
        // The idle spells of some are lent to others (more than three buckets' worth in all), yet no
        // second sees more than the run's 300/s and what the spare may hold (60).
        assertThat(total).isGreaterThan(1_500);
        assertThat(busiestSecond).isLessThanOrEqualTo(300 + spareLimit.burstTokens() + 1);
    }

    private static long grantedOneByOne(ServiceAdmission svc) {
        long granted = 0;
        while (svc.admit(1) instanceof ServiceAdmission.Granted) {
            granted++;
        }
        return granted;
    }
}
