package dev.sluice.control;

import static dev.sluice.control.RunAssert.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.health.Verdict;
import dev.sluice.plan.GateFailureAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The ramp advances only on health it read: after a gap in which it could not read health (a
 * restart, a database outage) streaks start again and the hold does not count the gap; time in
 * which health was unknown does not count as holding either. The simple plan holds each stage 10 s
 * and its gate needs 3 green readings.
 */
class RampGapTest {
    private final RunDriver run = new RunDriver(RampTest.simplePlan(GateFailureAction.STEP_BACK));

    private void gapOf(Duration unread) {
        run.now = run.now.plus(unread);
        run.state = Ramp.resumeAfterGap(run.state, unread, run.now);
    }

    @Test
    void aRunResumedAfterAGapDoesNotAdvanceOnItsFirstFreshReading() {
        run.ticks(9, 1, Verdict.GREEN); // 9 s held, 9 greens: one more second would advance
        gapOf(Duration.ofSeconds(30));

        run.tick(1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s1");
        assertThat(run.state.gates().get("tier-errors").greenStreak()).isEqualTo(1);

        run.ticks(2, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
        assertThat(run.timeline.stream()
                        .filter(t -> t.kind() == Transition.Kind.STAGE_ADVANCED)
                        .findFirst()
                        .orElseThrow()
                        .reason())
                .contains("held 100.0/s 12 s"); // 9 s before the gap and 3 after: the 30 s are not counted
    }

    @Test
    void aGapDoesNotCountTowardsTheHoldEvenWhenStreaksAreLongEnough() {
        run.ticks(2, 1, Verdict.GREEN);
        gapOf(Duration.ofSeconds(60));
        run.ticks(5, 1, Verdict.GREEN); // 7 s of read health in all: the 10 s hold is not over
        assertThatRun(run).isAtStage("s1");
        run.ticks(3, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
    }

    @Test
    void aTrippingRedStreakAlsoStartsAgainAfterAGap() {
        run.ticks(20, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3");
        run.tick(1, Verdict.RED); // one red of the two that trip
        gapOf(Duration.ofSeconds(30));
        run.tick(1, Verdict.RED);
        assertThatRun(run).isAtStage("s3");
        run.tick(1, Verdict.RED);
        assertThatRun(run).isAtStage("s2");
    }

    @Test
    void aPausedRunIsLeftAsItIsByAGap() {
        run.apply(OperatorAction.pause(run.state, "drill"));
        RunState paused = run.state;
        gapOf(Duration.ofSeconds(30));
        assertThat(run.state).isEqualTo(paused);
    }

    @Test
    void theHoldDoesNotCountTimeInWhichHealthWasUnknown() {
        run.ticks(5, 1, Verdict.GREEN);
        run.ticks(20, 1, Verdict.UNKNOWN); // under the 30 s pause limit
        run.ticks(4, 1, Verdict.GREEN); // streak passed; 5 + 3 s held with health read
        assertThatRun(run).isAtStage("s1").hasStatus(RunStatus.RUNNING);
        run.ticks(2, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
    }

    @Test
    void aGapWhileHealthWasUnknownDoesNotPauseTheRunForUnknownHealth() {
        run.ticks(25, 1, Verdict.UNKNOWN); // 24 s unknown of the 30 s limit
        gapOf(Duration.ofSeconds(60));
        run.tick(1, Verdict.UNKNOWN);
        assertThatRun(run).hasStatus(RunStatus.RUNNING);
    }
}
