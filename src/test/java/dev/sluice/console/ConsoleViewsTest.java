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

    @Test
    void theTimeToCompletionIsTheRestOfTheHoldsAndUnknownWhenPausedOrRed() {
        RunState s = started();
        assertThat(RunDigest.eta(PLAN, s, T0.plusSeconds(2))).isEqualTo("≥ 13 s");
        assertThat(RunDigest.eta(PLAN, OperatorAction.pause(s, "look").next(), T0))
                .isEqualTo("unknown (paused)");
        Map<String, RunState.GateTrack> gates = new HashMap<>(s.gates());
        gates.put("tier-errors", new RunState.GateTrack(0, 1, new GateReading(Verdict.RED, 0.5, 0.05, "red")));
        assertThat(RunDigest.eta(PLAN, s.withGates(gates), T0)).isEqualTo("unknown (a gate is red)");
        RunState promoted = OperatorAction.promote(PLAN, s, "go").next();
        assertThat(RunDigest.eta(PLAN, promoted, T0)).isEqualTo("≥ 10 s");
        assertThat(RunDigest.eta(PLAN, OperatorAction.abort(PLAN, s, "stop").next(), T0))
                .isEqualTo("–");
    }

    @Test
    void theServicesTableShowsEachServicesWantedRateOrADashWhenNoClientSaid() {
        RunState s = started();
        Map<String, RunState.ServiceRun> services = new HashMap<>(s.services());
        services.put("a", services.get("a").wanting(140.0));
        RunDigest.Detail d = RunDigest.detail(facts("w", s.withServices(services)), List.of(), T0);
        assertThat(d.waves().get(0).services().get(0).wanted()).isEqualTo("140.0/s");
        assertThat(d.waves().get(1).services().get(0).wanted()).isEqualTo("–");
    }

    @Test
    void theChartDrawsBudgetAdmittedAndWantedAsNamedLinesWithoutInlineStyle() {
        List<dev.sluice.control.RunSample> history = List.of(
                new dev.sluice.control.RunSample(T0, 0, 100, 80, null),
                new dev.sluice.control.RunSample(T0.plusSeconds(5), 0, 100, 100, 150.0),
                new dev.sluice.control.RunSample(T0.plusSeconds(10), 1, 200, 190, 160.0));
        String svg = RunChart.svg(history);
        assertThat(svg)
                .contains("id=\"line-budget\"", "id=\"line-admitted\"", "id=\"line-wanted\"")
                .contains("budget 200.0/s", "admitted 190.0/s", "wanted 160.0/s")
                .contains("10 s ago")
                .doesNotContain("style=");
        assertThat(RunChart.svg(history.subList(0, 1))).isNull();
    }

    @Test
    void aLongHistoryIsThinnedToTheChartsPointsKeepingTheFirstAndNewest() {
        List<dev.sluice.control.RunSample> history = new java.util.ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            history.add(new dev.sluice.control.RunSample(T0.plusSeconds(i), 0, i, i, null));
        }
        List<dev.sluice.control.RunSample> kept = RunChart.thinned(history, RunChart.MAX_POINTS);
        assertThat(kept).hasSize(RunChart.MAX_POINTS);
        assertThat(kept.get(0)).isEqualTo(history.get(0));
        assertThat(kept.get(kept.size() - 1)).isEqualTo(history.get(3_999));
    }

    @Test
    void samplesAreSpacedBySecondsAtFirstAndByAFiveHundredthOfTheRunsAgeLater() {
        assertThat(dev.sluice.control.RunSample.spacing(java.time.Duration.ofSeconds(30)))
                .isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(dev.sluice.control.RunSample.spacing(java.time.Duration.ofHours(24)))
                .isEqualTo(java.time.Duration.ofMillis(172_800));
        // Simulated ticks once a second for a week: the rows the spacing rule lets through.
        long rows = 0;
        long lastMillis = Long.MIN_VALUE / 2;
        for (long t = 0; t <= 7 * 86_400; t++) {
            long spacingMillis = dev.sluice.control.RunSample.spacing(java.time.Duration.ofSeconds(t))
                    .toMillis();
            if (t * 1000 - lastMillis >= spacingMillis) {
                rows++;
                lastMillis = t * 1000;
            }
        }
        assertThat(rows).isBetween(3_500L, 4_200L);
    }

    @Test
    void anOverridePreviewsTheServicesNewAllocationAndRefusesANumberOutOfRangeAtItsField() {
        RunState s = started();
        Preview p = Preview.of(ConsoleAction.OVERRIDE, PLAN, s, T0, new ConsoleAction.Target("a", 40.0, 600L, "olga"));
        assertThat(p.allowed()).isTrue();
        assertThat(p.effect()).startsWith("override a: a's allocation 100.0/s → 40.0/s, pinned for 600 s");
        Preview negative =
                Preview.of(ConsoleAction.OVERRIDE, PLAN, s, T0, new ConsoleAction.Target("a", -1.0, 600L, "olga"));
        assertThat(negative.allowed()).isFalse();
        assertThat(negative.refusedField()).isEqualTo("ratePerSecond");
        Preview unknown =
                Preview.of(ConsoleAction.OVERRIDE, PLAN, s, T0, new ConsoleAction.Target("nope", 1.0, 600L, "olga"));
        assertThat(unknown.refusedField()).isEqualTo("service");
        Preview clear = Preview.of(
                ConsoleAction.CLEAR_OVERRIDE, PLAN, s, T0, new ConsoleAction.Target("a", null, null, "olga"));
        assertThat(clear.allowed()).isFalse();
        assertThat(clear.effect()).isEqualTo("service a has no override");
    }

    @Test
    void stagesAheadThatNeedApprovalAreListedAndTheNextOneIsMarkedApprovableNow() {
        CompiledPlan gated = PlanCompiler.compileStored(PlanCodec.read(
                RunPlans.pushPlan("gated")
                        .replace(
                                "\"gates\": [",
                                "\"gates\": [{\"name\": \"go-half\", \"kind\": \"manual-approval\","
                                        + " \"beforeStage\": \"half\"},")
                        .getBytes(StandardCharsets.UTF_8),
                PlanFormat.JSON));
        RunState s = Ramp.start(gated, T0).next();
        List<RunDigest.Approval> approvals = RunDigest.approvals(gated, s);
        assertThat(approvals).containsExactly(new RunDigest.Approval("half", "go-half", true));
        assertThat(RunDigest.eta(gated, s, T0)).isEqualTo("unknown (stage half needs approval)");
        RunState promoted = OperatorAction.promote(gated, s, "go").next();
        assertThat(RunDigest.approvals(gated, promoted)).isEmpty();
    }

    @Test
    void theRehearsalFormBecomesAScenarioAndAFieldThatIsNotANumberAViolationAtItsPointer() {
        Rehearsal.Parsed parsed = Rehearsal.parse(Map.of("outageSeconds", "300", "startShare", "0.5", "seed", "7"));
        assertThat(parsed.violations()).isEmpty();
        assertThat(parsed.spec().outageSeconds()).isEqualTo(300.0);
        assertThat(parsed.spec().tier().startShare()).isEqualTo(0.5);
        assertThat(parsed.spec().simulation().seed()).isEqualTo(7L);
        assertThat(parsed.spec().clients()).isNull();
        Rehearsal.Parsed bad = Rehearsal.parse(Map.of("startShare", "half", "seed", "1.5"));
        assertThat(bad.spec()).isNull();
        assertThat(bad.violations())
                .extracting(dev.sluice.plan.Violation::pointer)
                .containsExactlyInAnyOrder("/tier/startShare", "/simulation/seed");
    }
}
