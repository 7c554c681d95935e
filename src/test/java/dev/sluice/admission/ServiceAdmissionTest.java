package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One service's admission: what its bucket may release when the run opens, closes and reopens it. */
class ServiceAdmissionTest {
    private final MutableClock clock = new MutableClock();
    private final ServiceAdmission svc =
            new ServiceAdmission("a", limit -> new LocalPermitBucket(limit, new ClockTimeMeter(clock)));

    @Test
    void aServiceThatOpensMidStageGetsItsRateNotABurstOnTop() {
        svc.allocate(new ServiceLimit(false, List.of(), 100, 1.0), clock.instant());
        assertThat(grantedOneByOne()).as("a single permit").isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        assertThat(grantedOneByOne()).isEqualTo(50);
    }

    @Test
    void aServiceReopenedAfterBeingBlockedStartsEmptyAgain() {
        svc.allocate(new ServiceLimit(false, List.of(), 100, 1.0), clock.instant());
        svc.allocate(new ServiceLimit(true, List.of("db"), 0, 1.0), clock.instant());
        // Blocked for a minute: the bucket kept refilling at its last rate, to a full burst.
        clock.advance(Duration.ofSeconds(60));
        assertThat(svc.admit(1)).isInstanceOf(ServiceAdmission.Refused.class);
        svc.allocate(new ServiceLimit(false, List.of(), 100, 1.0), clock.instant());
        assertThat(grantedOneByOne()).as("nothing saved up while blocked").isEqualTo(1);
        clock.advance(Duration.ofMillis(200));
        assertThat(grantedOneByOne()).isEqualTo(20);
    }

    @Test
    void aRateChangeWhileOpenKeepsTheTokensItHad() {
        svc.allocate(new ServiceLimit(false, List.of(), 100, 1.0), clock.instant());
        clock.advance(Duration.ofMillis(300));
        svc.allocate(new ServiceLimit(false, List.of(), 200, 1.0), clock.instant());
        assertThat(grantedOneByOne()).isEqualTo(31);
    }

    private long grantedOneByOne() {
        long granted = 0;
        while (svc.admit(1) instanceof ServiceAdmission.Granted) {
            granted++;
        }
        return granted;
    }

    @Test
    void permitsLeaveRoomForLeasesAnotherProcessGrantedUntilTheyHaveEnded() {
        Instant start = clock.instant();
        svc.allocate(new ServiceLimit(false, List.of(), 45, 1.0), start);
        svc.leaveRoomForLeasesGrantedElsewhere(25, start.plusSeconds(30), start);
        assertThat(svc.permitLimit().ratePerSecond()).isEqualTo(20);

        // this process grants the returning client its lease: the permits bear both until the end
        svc.lease("returning", 25, Duration.ofSeconds(60), start);
        assertThat(svc.permitLimit().ratePerSecond()).isZero();

        clock.advance(Duration.ofSeconds(30));
        svc.allocate(new ServiceLimit(false, List.of(), 45, 1.0), clock.instant());
        assertThat(svc.permitLimit().ratePerSecond()).isEqualTo(20);
    }

    @Test
    void leasesGrantedElsewhereNeverTakeMoreThanTheShare() {
        Instant start = clock.instant();
        svc.allocate(new ServiceLimit(false, List.of(), 45, 1.0), start);
        svc.leaveRoomForLeasesGrantedElsewhere(400, start.plusSeconds(30), start);
        assertThat(svc.permitLimit().isClosed()).isTrue();
        assertThat(svc.lease("returning", 25, Duration.ofSeconds(60), start).ratePerSecond())
                .as("a lease is granted from the share as before")
                .isEqualTo(25);
    }
}
