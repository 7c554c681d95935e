package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final HealthHistory history = new HealthHistory(Duration.ofMinutes(5));

    private static HealthSample report(Instant at, double errorRatio) {
        return new HealthSample("tier/reports", at, true, errorRatio, null, null);
    }

    @Test
    void aPushedReportReadAgainOnLaterTicksIsOneSample() {
        history.add(report(T0, 0.0));
        history.add(report(T0, 0.0));
        history.add(report(T0, 0.0));
        assertThat(history.snapshot().get("tier/reports")).hasSize(1);
    }

    @Test
    void aSampleThatArrivesLateIsKeptInTimeOrder() {
        history.add(report(T0, 0.0));
        history.add(HealthSample.unreadable("tier/reports", T0.plusSeconds(2), "last report is 31 s old"));
        history.add(report(T0.plusSeconds(1), 0.5)); // committed by another replica just after that read
        history.add(report(T0.plusSeconds(1), 0.5)); // and read again
        List<HealthSample> kept = history.snapshot().get("tier/reports");
        assertThat(kept).extracting(HealthSample::at).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
    }

    @Test
    void samplesOlderThanKeptAreDropped() {
        history.add(report(T0, 0.0));
        history.add(report(T0.plusSeconds(301), 0.0));
        assertThat(history.snapshot().get("tier/reports"))
                .extracting(HealthSample::at)
                .containsExactly(T0.plusSeconds(301));
    }
}
