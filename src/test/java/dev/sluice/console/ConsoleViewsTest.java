package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.audit.AuditEvent;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.testing.RunPlans;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleViewsTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final CompiledPlan PLAN = PlanCompiler.compileStored(
            PlanCodec.read(RunPlans.pushPlan("views").getBytes(StandardCharsets.UTF_8), PlanFormat.JSON));

    static RunState started() {
        return Ramp.start(PLAN, T0).next();
    }

    static RunFacts facts(String id, RunState s) {
        return new RunFacts(id, "views", PLAN, s, T0, 3);
    }

    @Test
    void promotePreviewsTheNextStagesBudgetWithoutCommittingAnything() {
        RunState s = started();
        Preview p = Preview.of(ConsoleAction.PROMOTE, PLAN, s, T0);
        assertThat(p.allowed()).isTrue();
        assertThat(p.effect())
                .isEqualTo(
                        "promote: budget 100.0/s → 200.0/s once the gates pass; the rest of the stage's hold is skipped");
        assertThat(p.changes()).containsExactly("stage-promoted stage: quarter → half");
    }

    @Test
    void aRefusedActionPreviewsAsNotPossibleWithTheCoresMessage() {
        Preview p = Preview.of(ConsoleAction.RESUME, PLAN, started(), T0);
        assertThat(p.allowed()).isFalse();
        assertThat(p.effect()).isEqualTo("cannot resume a running run");
    }

    @Test
    void pausedRunsComeFirstWithTheirReasonThenRunningThenFinished() {
        RunState running = started();
        RunState paused =
                OperatorAction.pause(started(), "looking at the cache").next();
        RunState aborted = OperatorAction.abort(PLAN, started(), "wrong plan").next();
        List<RunDigest.Row> rows = RunDigest.overview(
                List.of(facts("done", aborted), facts("live", running), facts("held", paused)), T0.plusSeconds(4));
        assertThat(rows).extracting(RunDigest.Row::id).containsExactly("held", "live", "done");
        assertThat(rows.get(0).waitingWhy()).isEqualTo("paused: looking at the cache");
        assertThat(rows.get(1).waiting()).isFalse();
        assertThat(rows.get(1).freshness()).isEqualTo("4 s ago");
        assertThat(rows.get(1).timeInStage()).isEqualTo("4 s");
        assertThat(rows.get(1).stageNumber()).isEqualTo(1);
        assertThat(rows.get(1).restored()).isZero();
    }

    @Test
    void dataOlderThanAFewTicksIsFlaggedStale() {
        RunDigest.Row row = RunDigest.row(facts("old", started()), T0.plusSeconds(11));
        assertThat(row.stale()).isTrue();
        assertThat(row.freshness()).isEqualTo("11 s ago");
    }

    @Test
    void aRedGateReadsAsWhatBlocksTheRunWithValueAndThresholdAtOnePrecision() {
        RunState s = started();
        Map<String, RunState.GateTrack> gates = new HashMap<>(s.gates());
        gates.put(
                "tier-errors",
                new RunState.GateTrack(
                        0,
                        2,
                        new GateReading(
                                Verdict.RED, 0.5, 0.05, "error ratio 0.5000 > 0.0500 over 10 s (worst: reports)")));
        RunDigest.Detail d = RunDigest.detail(facts("red", s.withGates(gates)), List.of(), T0);
        RunDigest.GateLine g = d.gates().get(0);
        assertThat(g.stateWord()).isEqualTo("✖ tripped");
        assertThat(g.value()).isEqualTo("0.5000");
        assertThat(g.threshold()).isEqualTo("0.0500");
        assertThat(d.blockers())
                .containsExactly("blocked by tier-errors: error ratio 0.5000 > 0.0500 over 10 s (worst: reports)");
    }

    @Test
    void servicesAreShownInWavesWithWhatTheyWaitOnAndTheTimelineNewestFirst() {
        AuditEvent first =
                new AuditEvent(1, T0, "alice", "run-started", "r", "views", "run", null, "running", "go", null);
        AuditEvent second = new AuditEvent(
                2, T0.plusSeconds(1), "bob", "run-paused", "r", "views", "run", "running", "paused", "look", null);
        RunDigest.Detail d = RunDigest.detail(facts("r", started()), List.of(first, second), T0);
        assertThat(d.waves()).hasSize(2);
        assertThat(d.waves().get(0).services())
                .extracting(RunDigest.ServiceLine::statusWord)
                .containsExactly("▶ admitting");
        assertThat(d.waves().get(1).services().get(0).blockedBy()).isEqualTo("waits on a");
        assertThat(d.timeline()).extracting(AuditEvent::actor).containsExactly("bob", "alice");
        assertThat(d.ladder())
                .extracting(RunDigest.StageLine::where)
                .containsExactly("▶ current", "· ahead", "· ahead");
        assertThat(d.holdRemaining()).isEqualTo("5 s");
    }
}
