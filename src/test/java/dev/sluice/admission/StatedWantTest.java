package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a service's clients want, as the replica reports it: stated wants where clients state them,
 * asked permits where they do not.
 */
class StatedWantTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(10);

    private ServiceAdmission svc;

    @BeforeEach
    void allocate() {
        MutableClock clock = new MutableClock(); // stands at T0
        svc = new ServiceAdmission("a", limit -> new LocalPermitBucket(limit, new ClockTimeMeter(clock)));
        svc.allocate(new ServiceLimit(false, List.of(), 100, 1.0), T0);
        // A new bucket starts empty: a second later it holds one second of its rate.
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void aClientStatingItsRateCountsAtThatRateNotAtWhatItAsks() {
        // c1 honours Retry-After and asks for 10 permits a second, but 800/s wait behind them.
        ask(10, new StatedWant("c1", 800.0, null), T0);
        ask(50, null, T0); // clients that state nothing count by their asks
        assertThat(svc.wantedPerSecond(1.0, T0.plusSeconds(1))).isEqualTo(850.0);
    }

    @Test
    void theFreshestStatementOfAClientWins() {
        ask(1, new StatedWant("c1", 800.0, null), T0);
        ask(1, new StatedWant("c1", 300.0, null), T0.plusMillis(500));
        ask(1, new StatedWant("c2", 50.0, null), T0.plusMillis(500));
        assertThat(svc.wantedPerSecond(1.0, T0.plusSeconds(1))).isEqualTo(350.0);
    }

    @Test
    void aStatedBacklogAddsItsDrainOverTheHorizonToWhatTheClientAsks() {
        // 5,000 queued, to be drained within 10 s: 500/s on top of the 100/s it asks for.
        ask(100, new StatedWant("c1", null, 5_000.0), T0);
        assertThat(svc.wantedPerSecond(1.0, T0.plusSeconds(1))).isEqualTo(600.0);
    }

    @Test
    void aStatedRateIsNeverTooSlowToDrainAStatedBacklogWithinTheHorizon() {
        ask(1, new StatedWant("c1", 100.0, 5_000.0), T0);
        ask(1, new StatedWant("c2", 900.0, 5_000.0), T0);
        assertThat(svc.wantedPerSecond(1.0, T0.plusSeconds(1))).isEqualTo(500.0 + 900.0);
    }

    @Test
    void aStatementShowsWholeAtTheNextMeasurementNotAveragedOverIt() {
        assertThat(svc.wantedPerSecond(2.0, T0)).isZero();
        // Stated 100 ms before the replica reports: the whole 700/s shows, not 700 × 0.1 s / 2 s.
        ask(1, new StatedWant("c1", 700.0, null), T0.plusMillis(1_900));
        assertThat(svc.wantedPerSecond(2.0, T0.plusSeconds(2))).isEqualTo(700.0);
        // ... and at every measurement while it lives.
        assertThat(svc.wantedPerSecond(2.0, T0.plusSeconds(4))).isEqualTo(700.0);
    }

    @Test
    void aStatementExpiresLikeALeaseThenTheClientsAsksCountAgain() {
        ask(10, new StatedWant("c1", 800.0, null), T0);
        // The client names itself without restating: its live statement covers its asks.
        ask(10, new StatedWant("c1", null, null), T0.plusSeconds(5));
        assertThat(svc.wantedPerSecond(5.0, T0.plusSeconds(5))).isEqualTo(800.0);
        assertThat(svc.statedWants(T0.plusSeconds(5))).isEqualTo(1);
        // Ten seconds after it was stated the statement is gone: c1 counts by its asks again.
        ask(40, new StatedWant("c1", null, null), T0.plusSeconds(10));
        assertThat(svc.wantedPerSecond(5.0, T0.plusSeconds(10))).isEqualTo(8.0);
        assertThat(svc.statedWants(T0.plusSeconds(10))).isZero();
    }

    @Test
    void aStatementDoesNotChangeTheAdmissionDecision() {
        ServiceAdmission.Answer stated = svc.admit(100, new StatedWant("c1", 1_000.0, null), T0, T0.plus(LEASE));
        assertThat(stated).isInstanceOf(ServiceAdmission.Granted.class);
        assertThat(svc.admit(1, new StatedWant("c1", 1_000.0, null), T0, T0.plus(LEASE)))
                .isInstanceOf(ServiceAdmission.Refused.class);
    }

    private void ask(long permits, StatedWant want, Instant now) {
        if (want == null) {
            svc.admit(permits);
        } else {
            svc.admit(permits, want, now, now.plus(LEASE));
        }
    }
}
