package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a gate's green reading is a clear margin, the condition for a shortened hold. */
class HealthGateMarginTest {
    private static final double R = 0.5;

    @Test
    void theExistingKindsKeepValueUnderMarginRatioTimesThreshold() {
        HealthGate errors = new HealthGate.TierErrorRate("e", 0.02, 30, 3, 2, null);
        assertThat(errors.clearMargin(0.0099, R)).isTrue();
        assertThat(errors.clearMargin(0.01, R)).isFalse();
        HealthGate latency = new HealthGate.TierLatency("l", 250, 99, 30, 3, 2, null);
        assertThat(latency.clearMargin(124, R)).isTrue();
        assertThat(latency.clearMargin(125, R)).isFalse();
    }

    @Test
    void aMaximumOnlyGateHasAMarginUnderMarginRatioOfItsMaximum() {
        HealthGate.Metric cold = metric(Double.NEGATIVE_INFINITY, 2000);
        assertThat(cold.threshold()).isEqualTo(2000);
        assertThat(cold.clearMargin(999, R)).isTrue();
        assertThat(cold.clearMargin(1000, R)).isFalse();
        assertThat(cold.clearMargin(1999, 1.0)).isTrue();
        assertThat(metric(Double.NEGATIVE_INFINITY, -5).clearMargin(-20, R))
                .as("no margin against a maximum at or below 0")
                .isFalse();
    }

    @Test
    void aMinimumOnlyGateHasAMarginWhenItsMinimumIsUnderMarginRatioOfTheValue() {
        HealthGate.Metric throughput = metric(100, Double.POSITIVE_INFINITY);
        assertThat(throughput.threshold()).isEqualTo(100);
        assertThat(throughput.clearMargin(201, R)).isTrue();
        assertThat(throughput.clearMargin(200, R)).isFalse();
        assertThat(throughput.clearMargin(150, R)).isFalse();
        assertThat(metric(0.8, Double.POSITIVE_INFINITY).clearMargin(0.99, R))
                .as("a hit ratio with a minimum of 0.8 can never double it: gate its miss ratio with a max instead")
                .isFalse();
    }

    @Test
    void aRangeGateHasAMarginInTheMiddleMarginRatioShareOfTheRange() {
        HealthGate.Metric lag = metric(100, 300); // middle half: (150, 250)
        assertThat(lag.threshold()).isEqualTo(300);
        assertThat(lag.clearMargin(200, R)).isTrue();
        assertThat(lag.clearMargin(151, R)).isTrue();
        assertThat(lag.clearMargin(249, R)).isTrue();
        assertThat(lag.clearMargin(150, R)).isFalse();
        assertThat(lag.clearMargin(260, R)).isFalse();
        assertThat(lag.clearMargin(120, R))
                .as("near the minimum, though far under the maximum")
                .isFalse();
    }

    @Test
    void aRedValueIsNeverAClearMargin() {
        assertThat(metric(100, 300).clearMargin(50, R)).isFalse();
        assertThat(metric(Double.NEGATIVE_INFINITY, 10).clearMargin(11, 1.0)).isFalse();
    }

    @Test
    void theNearerBoundIsTheOneAValueWouldCrossFirst() {
        HealthGate.Metric lag = metric(100, 300);
        assertThat(lag.nearerBound(120)).isEqualTo(100);
        assertThat(lag.nearerBound(280)).isEqualTo(300);
        assertThat(metric(Double.NEGATIVE_INFINITY, 10).nearerBound(-1e9)).isEqualTo(10);
        assertThat(metric(5, Double.POSITIVE_INFINITY).nearerBound(1e9)).isEqualTo(5);
    }

    private static HealthGate.Metric metric(double min, double max) {
        return new HealthGate.Metric("m", null, "s", Signal.METRIC, min, max, 30, 3, 2, null);
    }
}
