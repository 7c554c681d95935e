package dev.sluice.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.control.Ramp;
import dev.sluice.control.store.StoredRun;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.TestPlans;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a tick counts as resuming after a gap in which health was not read (the reference plan ticks every 1 s). */
class RunTickerGapTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final CompiledPlan PLAN = PlanCompiler.compileStored(TestPlans.reference());

    private static StoredRun lastTickedAt(Instant lastTickAt) {
        return new StoredRun("r", PLAN.name(), 1, PLAN, Ramp.start(PLAN, T0).next(), "t", T0, T0, lastTickAt, 1);
    }

    @Test
    void aRunsFirstTickIsNoGap() {
        assertThat(RunTicker.unreadGap(lastTickedAt(null), true, T0.plusSeconds(60)))
                .isZero();
    }

    @Test
    void aTickOnTimeOrALittleLateIsNoGap() {
        assertThat(RunTicker.unreadGap(lastTickedAt(T0), false, T0.plusSeconds(1)))
                .isZero();
        assertThat(RunTicker.unreadGap(lastTickedAt(T0), false, T0.plusSeconds(6)))
                .isZero();
    }

    @Test
    void aTickMoreThanFiveSecondsLateIsAGapOfEverythingPastTheInterval() {
        assertThat(RunTicker.unreadGap(lastTickedAt(T0), false, T0.plusSeconds(31)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theFirstTickInThisProcessIsAGapHoweverSoonItComes() {
        assertThat(RunTicker.unreadGap(lastTickedAt(T0), true, T0.plusSeconds(3)))
                .isEqualTo(Duration.ofSeconds(2));
    }
}
