package dev.sluice.control;

import static dev.sluice.control.RunAssert.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.FailurePolicy;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateFailureAction;
import dev.sluice.plan.GateKind;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanDefaults;
import dev.sluice.plan.Priority;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Service;
import dev.sluice.plan.Stage;
import dev.sluice.plan.TestPlans;
import dev.sluice.plan.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RampTest {

    @Test
    void referenceScenarioRestoresInDependencyOrderAndCompletes() {
        RunDriver run = new RunDriver(TestPlans.reference());
        for (int i = 0; i < 5000 && run.state.status() == RunStatus.RUNNING; i++) {
            run.tick(1, Verdict.GREEN);
            if (run.state.stage() == 4 && !run.state.approvedStages().contains("full")) {
                run.apply(OperatorAction.promote(run.plan, run.state, "approved by the incident lead"));
            }
        }
        assertThatRun(run)
                .hasStatus(RunStatus.COMPLETED)
                .isAtStage("full")
                .restoredInOrder("access", "gateway", "warp")
                .restoredInOrder("workers-assets", "pages", "workers-builds")
                .restoredInOrder("workers-ai", "autorag");
        assertThat(run.restoredOrder()).hasSize(18);
        assertThat(run.stages).isSorted(); // all green: never stepped back
    }

    @Test
    void budgetLeftAfterDemandsGoesToAServiceWhoseClientsAskForMore() {
        CompiledPlan plan =
                compiled(simplePlan(GateFailureAction.STEP_BACK)); // s3 budget 400/s; a and b want 100/s each
        RunDriver run = new RunDriver(plan);
        run.ticks(20, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3").hasStatus(RunStatus.RUNNING);
        var greenReadings = new java.util.HashMap<String, dev.sluice.health.GateReading>();
        greenReadings.put("tier-errors", new dev.sluice.health.GateReading(Verdict.GREEN, 0.0, 0.0, "green"));

        // a's clients ask for 350/s (a backlog): a gets its 100 plus what b's demand leaves: 200 more.
        Decision draining =
                Ramp.decide(plan, run.state, greenReadings, java.util.Map.of("a", 350.0), run.now.plusSeconds(1));
        assertThat(draining.next().services().get("a").allocationPerSecond()).isEqualTo(300.0);
        assertThat(draining.next().totalAllocationPerSecond()).isLessThanOrEqualTo(400.0);

        // Once the backlog is gone (asks at its demand) the extra goes away again.
        Decision drained =
                Ramp.decide(plan, draining.next(), greenReadings, java.util.Map.of("a", 100.0), run.now.plusSeconds(2));
        assertThat(drained.next().services().get("a").allocationPerSecond()).isEqualTo(100.0);
    }

    @Test
    void aBacklogsShareSurvivesATickWithoutWantReportsAsAfterARestart() {
        CompiledPlan plan = compiled(simplePlan(GateFailureAction.STEP_BACK));
        RunDriver run = new RunDriver(plan);
        run.ticks(20, 1, Verdict.GREEN);
        var green =
                java.util.Map.of("tier-errors", new dev.sluice.health.GateReading(Verdict.GREEN, 0.0, 0.0, "green"));
        RunState s = run.state;
        Instant t = run.now;
        for (int i = 0; i < 30; i++) {
            t = t.plusSeconds(1);
            s = Ramp.decide(plan, s, green, java.util.Map.of("a", 300.0, "b", 100.0), t)
                    .next();
        }
        assertThat(s.services().get("a").allocationPerSecond()).isEqualTo(300.0);
        // A restarted leader's first tick: no replica has reported yet.
        RunState restarted = Ramp.decide(plan, s, green, java.util.Map.of(), t.plusSeconds(1))
                .next();
        assertThat(restarted.services().get("a").allocationPerSecond())
                .as("the backlog keeps its share until fresh reports say otherwise")
                .isGreaterThan(200.0);
        assertThat(restarted.totalAllocationPerSecond()).isLessThanOrEqualTo(400.0);
    }

    @Test
    void aRunDoesNotCompleteWhileAServiceStillHasABacklogToDrain() {
        CompiledPlan plan = compiled(simplePlan(GateFailureAction.STEP_BACK));
        RunDriver run = new RunDriver(plan);
        run.ticks(20, 1, Verdict.GREEN);
        var green =
                java.util.Map.of("tier-errors", new dev.sluice.health.GateReading(Verdict.GREEN, 0.0, 0.0, "green"));
        RunState s = run.state;
        Instant t = run.now;
        for (int i = 0; i < 60; i++) { // far past every hold; b's clients still ask for 900/s
            t = t.plusSeconds(1);
            s = Ramp.decide(plan, s, green, java.util.Map.of("b", 900.0), t).next();
        }
        assertThat(s.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(s.services().values()).allMatch(r -> r.status() == ServiceStatus.RESTORED);
        assertThat(s.services().get("b").allocationPerSecond()).isEqualTo(300.0);

        Decision smaller = Ramp.decide(plan, s, green, java.util.Map.of("b", 250.0), t.plusSeconds(1));
        assertThat(smaller.next().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(smaller.next().services().get("b").allocationPerSecond()).isEqualTo(250.0);

        // Its clients now ask for its demand: the smoothed want decays below the tolerance within
        // a few of the plan's gate windows, not on the first measurement.
        Decision done = Ramp.decide(plan, smaller.next(), green, java.util.Map.of("b", 102.0), t.plusSeconds(2));
        assertThat(done.next().status()).isEqualTo(RunStatus.RUNNING);
        int ticks = 1;
        while (done.next().status() == RunStatus.RUNNING && ticks < 600) {
            ticks++;
            done = Ramp.decide(plan, done.next(), green, java.util.Map.of("b", 102.0), t.plusSeconds(2 + ticks));
        }
        assertThat(done.next().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(ticks).isBetween(10, 200);
        assertThat(done.transitions())
                .extracting(Transition::reason)
                .last()
                .asString()
                .contains("no backlog left");
    }

    @Test
    void aRunOfTwoHundredServicesWithTenPerCentNoiseInTheirAsksCompletes() {
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            services.add(new Service("svc-" + i, 10.0, Priority.NORMAL, List.of(), List.of()));
        }
        RestorePlan simple = simplePlan(GateFailureAction.STEP_BACK);
        CompiledPlan plan = compiled(new RestorePlan(
                "noisy",
                null,
                tierWithProbe(2500),
                services,
                simple.stages(),
                simple.gates(),
                simple.policy(),
                simple.admission()));
        var green = java.util.Map.of("tier-errors", new GateReading(Verdict.GREEN, 0.0, 0.0, "green"));
        java.util.Random noise = new java.util.Random(7);
        RunDriver run = new RunDriver(plan);
        RunState s = run.state;
        Instant t = run.now;
        int ticks = 0;
        while (s.status() == RunStatus.RUNNING && ticks < 600) {
            ticks++;
            t = t.plusSeconds(1);
            java.util.Map<String, Double> asks = new java.util.HashMap<>();
            for (Service svc : services) {
                asks.put(svc.name(), svc.demandPerSecond() * (0.9 + 0.2 * noise.nextDouble()));
            }
            // Every tick, some of the 200 measurements are more than 5% above their demand.
            assertThat(asks.entrySet()).anyMatch(e -> e.getValue() > 10.5);
            s = Ramp.decide(plan, s, green, asks, t).next();
        }
        assertThat(s.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(ticks).isLessThan(200);
    }

    @Test
    void aBlockedServiceGetsNoExtraHoweverMuchItsClientsAsk() {
        CompiledPlan plan = compiled(simplePlan(GateFailureAction.STEP_BACK));
        RunDriver run = new RunDriver(plan);
        Decision d = Ramp.decide(
                plan, run.state, java.util.Map.of(), java.util.Map.of("b", 1e6, "a", 1e6), run.now.plusSeconds(1));
        assertThat(d.next().services().get("b").allocationPerSecond()).isZero();
        assertThat(d.next().totalAllocationPerSecond()).isLessThanOrEqualTo(plan.budgetPerSecond(0) + 1e-9);
    }

    @Test
    void neverAdvancesBeforeTheHoldEvenWhenEveryGateIsGreen() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        run.ticks(9, 1, Verdict.GREEN); // hold is 10 s
        assertThatRun(run).isAtStage("s1");
        run.tick(1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
    }

    @Test
    void redTierGateStepsBackExactlyOneStage() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        run.ticks(10, 1, Verdict.GREEN).ticks(10, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3");
        run.tick(1, Verdict.RED);
        assertThatRun(run).isAtStage("s3"); // one red sample is not enough (redSamples 2)
        run.tick(1, Verdict.RED);
        assertThatRun(run).isAtStage("s2").hasStatus(RunStatus.RUNNING);
        assertThat(run.count(Transition.Kind.STAGE_STEPPED_BACK)).isEqualTo(1);
        Transition back = run.timeline.stream()
                .filter(t -> t.kind() == Transition.Kind.STAGE_STEPPED_BACK)
                .findFirst()
                .orElseThrow();
        assertThat(back.from()).isEqualTo("s3");
        assertThat(back.to()).isEqualTo("s2");
        assertThat(back.reason()).contains("tier-errors").contains("scripted RED");
    }

    @Test
    void afterAStepBackRedReadingsBelongToTheSameBadSpellUntilHealthRecoversOrTwoWindowsPass() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // gate window 10 s, tick 1 s
        run.ticks(10, 1, Verdict.GREEN).ticks(10, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3");
        run.ticks(2, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s2");
        // The window holds s3's readings for 11 s, and the tier may drain s3's queue for one more
        // window: red all along is still the spell the run already stepped back for.
        run.ticks(20, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s2");
        // Two windows on, red is s2's own: s2 had held, so the run goes below it.
        run.ticks(2, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s1");
        assertThat(run.count(Transition.Kind.STAGE_STEPPED_BACK)).isEqualTo(2);
    }

    @Test
    void afterAStepBackANewBadSpellCountsOnceHealthHasRecovered() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        run.ticks(10, 1, Verdict.GREEN).ticks(10, 1, Verdict.GREEN).ticks(2, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s2");
        run.ticks(11, 1, Verdict.RED).tick(1, Verdict.GREEN); // settled, and green again: that spell is over
        run.ticks(2, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s1");
    }

    @Test
    void flappingGateCausesNoStageChangeBeyondTheHysteresis() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        run.ticks(10, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
        int before = run.stages.size();
        for (int i = 0; i < 200; i++) {
            run.tick(1, i % 2 == 0 ? Verdict.RED : Verdict.GREEN);
        }
        assertThat(run.stages.subList(before, run.stages.size())).containsOnly(1);
        assertThat(run.count(Transition.Kind.STAGE_STEPPED_BACK)).isZero();
    }

    @Test
    void unknownHealthNeverAdvancesAndPausesAfterTheLimit() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // limit 30 s
        run.ticks(30, 1, Verdict.UNKNOWN); // unknown from the first reading (t=1) to t=30: 29 s
        assertThatRun(run).isAtStage("s1").hasStatus(RunStatus.RUNNING);
        assertThat(run.count(Transition.Kind.HEALTH_UNKNOWN)).isEqualTo(1);
        run.tick(1, Verdict.UNKNOWN);
        assertThatRun(run).isAtStage("s1").hasStatus(RunStatus.PAUSED);
        assertThat(run.state.pauseReason()).contains("health unknown for 30 s");
    }

    @Test
    void healthReturningBeforeTheLimitLetsTheRunGoOn() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        run.ticks(20, 1, Verdict.UNKNOWN).ticks(9, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s1").hasStatus(RunStatus.RUNNING); // the unknown 20 s did not hold
        run.tick(1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2").hasStatus(RunStatus.RUNNING);
        assertThat(run.count(Transition.Kind.HEALTH_KNOWN)).isEqualTo(1);
    }

    @Test
    void pausesAfterKStepBacksFromBudgetsThatHadHeldWithTheSteppedBackAllocations() {
        RunDriver run = new RunDriver(bigDemandPlan()); // K = 2; demand 380/s keeps the run going
        run.againstTierHolding(300, 300);
        assertThat(Ramp.settled(run.plan, run.state)).isTrue();
        assertThat(run.state.ceiling().regressions())
                .as("trips above what held are the search")
                .isEmpty();

        run.againstTierHolding(250, 120); // the tier got worse: 300/s had held and trips now
        assertThatRun(run).hasStatus(RunStatus.RUNNING);
        assertThat(run.state.ceiling().regressions()).hasSize(1);

        run.againstTierHolding(150, 60); // worse again
        assertThatRun(run).hasStatus(RunStatus.PAUSED);
        assertThat(run.state.pauseReason()).contains("2 step-backs from budgets that had held");
        assertThat(run.state.totalAllocationPerSecond())
                .as("a pause after a step back holds the stepped-back budget, not the one that tripped")
                .isLessThanOrEqualTo(run.budget() + 1e-9)
                .isLessThan(250);
        long allocationsBefore = Math.round(run.state.totalAllocationPerSecond());
        run.ticks(50, 1, Verdict.GREEN);
        assertThatRun(run).hasStatus(RunStatus.PAUSED);
        assertThat(Math.round(run.state.totalAllocationPerSecond())).isEqualTo(allocationsBefore);
    }

    @Test
    void aTrippedBudgetBecomesACeilingThatTheRampSearchesBelowInsteadOfRetryingIt() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // stages 100, 200, 400/s
        run.againstTierHolding(300, 120);

        assertThat(run.timeline)
                .filteredOn(t -> t.kind() == Transition.Kind.STAGE_ADVANCED)
                .extracting(Transition::to)
                .containsExactly("s2", "s3"); // s3 (400/s) was tried once, never again
        assertThat(run.count(Transition.Kind.BUDGET_RAISED)).isPositive();
        assertThat(run.state.ceiling().trippedPerSecond()).isGreaterThan(300).isLessThan(400);
        assertThat(run.state.ceiling().heldPerSecond()).isEqualTo(300.0);
    }

    @Test
    void whenThePlanOverstatesCapacityTheRunCompletesAtTheCeilingTheTierHolds() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // demand 200/s
        run.againstTierHolding(300, 600);

        assertThatRun(run).hasStatus(RunStatus.COMPLETED).hasBudget(300).restoredInOrder("a", "b");
        assertThat(Ramp.settled(run.plan, run.state)).isTrue();
        assertThat(run.count(Transition.Kind.RUN_PAUSED)).isZero();
        double gap = run.state.ceiling().trippedPerSecond() - run.budget();
        assertThat(gap)
                .isLessThanOrEqualTo(run.plan.ramp().ceilingResolution()
                        * run.state.ceiling().trippedPerSecond());
        assertThat(run.timeline.get(run.timeline.size() - 1).reason()).contains("the ceiling the tier held");
    }

    @Test
    void theCeilingIsTriedAgainAfterItsBackOffAndLiftedOnceTheTierHoldsIt() {
        RunDriver run = new RunDriver(bigDemandPlan()); // demand 380/s: never restored below 400/s
        run.againstTierHolding(300, 60);
        assertThat(run.state.ceiling().trippedPerSecond()).isNotNull();
        assertThat(run.state.stage()).isLessThan(2);
        run.againstTierHolding(1000, 400); // the tier recovered further

        assertThat(run.count(Transition.Kind.CEILING_LIFTED)).isPositive();
        assertThatRun(run).isAtStage("s3");
        assertThat(run.state.ceiling().trippedPerSecond()).isNull();
    }

    @Test
    void redHealthAtTheFirstStageAdmitsOnlyATrickleAndNeverPausesTheRun() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // trickle 1% of 400/s
        run.ticks(300, 1, Verdict.RED);
        assertThatRun(run).isAtStage("s1").hasStatus(RunStatus.RUNNING).hasBudget(4);
        assertThat(run.state.totalAllocationPerSecond()).isLessThanOrEqualTo(4 + 1e-9);
        assertThat(run.count(Transition.Kind.TRICKLE_STARTED)).isEqualTo(1);
        run.ticks(3, 1, Verdict.GREEN);
        assertThatRun(run).hasBudget(100);
        assertThat(run.count(Transition.Kind.TRICKLE_ENDED)).isEqualTo(1);
    }

    @Test
    void aClearMarginShortensTheHoldToTheMinimumButNeverBelowTheGatesWindow() {
        RestorePlan slow = withHolds(simplePlan(GateFailureAction.STEP_BACK), 60); // window 10 s, min hold 15 s
        RunDriver clear = new RunDriver(slow);
        for (int i = 0; i < 15; i++) {
            clear.tickReadings(1, g -> new GateReading(Verdict.GREEN, 0.001, g.threshold(), "well under"));
        }
        assertThatRun(clear).isAtStage("s2");

        RunDriver close = new RunDriver(slow);
        for (int i = 0; i < 59; i++) {
            close.tickReadings(1, g -> new GateReading(Verdict.GREEN, 0.04, g.threshold(), "close to it"));
        }
        assertThatRun(close).isAtStage("s1");
        close.tickReadings(1, g -> new GateReading(Verdict.GREEN, 0.04, g.threshold(), "close to it"));
        assertThatRun(close).isAtStage("s2");
    }

    @Test
    void burstsComeOutOfTheHeadroomSoAFullStageCannotReleaseASurge() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // burstSeconds 1
        assertThat(Ramp.burstSeconds(run.plan, run.state)).isEqualTo(1.0); // 100 of 400/s: room for it
        run.ticks(10, 1, Verdict.GREEN).ticks(10, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3");
        assertThat(Ramp.burstSeconds(run.plan, run.state)).isEqualTo(Ramp.MIN_BURST_SECONDS);
    }

    @Test
    void pausePolicyPausesOnTheFirstTrip() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.PAUSE));
        run.ticks(2, 1, Verdict.RED);
        assertThatRun(run).hasStatus(RunStatus.PAUSED).isAtStage("s1");
    }

    @Test
    void blockedServiceWaitsUntilItsDependencyIsUpAndGetsNothingMeanwhile() {
        RunDriver run = new RunDriver(withHolds(simplePlan(GateFailureAction.STEP_BACK), 60)); // up after 10 s
        assertThat(run.state.services().get("b").status()).isEqualTo(ServiceStatus.BLOCKED);
        assertThat(run.state.services().get("b").allocationPerSecond()).isZero();
        while (run.state.services().get("b").status() == ServiceStatus.BLOCKED) {
            assertThat(run.state.services().get("b").allocationPerSecond()).isZero();
            run.tick(1, Verdict.GREEN);
        }
        RunState.ServiceRun a = run.state.services().get("a");
        assertThat(a.status()).as("a is up, not yet restored").isEqualTo(ServiceStatus.ADMITTING);
        assertThat(java.time.Duration.between(a.fullSince(), run.now).getSeconds())
                .isGreaterThanOrEqualTo(run.plan.ramp().serviceUpSeconds())
                .isLessThan(60);
        // Admitting: b gets budget as soon as the stage has room for it beyond a's demand.
        while (run.state.stage() == 0) {
            run.tick(1, Verdict.GREEN);
        }
        assertThat(run.state.services().get("b").allocationPerSecond()).isPositive();
    }

    @Test
    void completesOnlyAtTheLastStageWithEveryServiceRestored() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        for (int i = 0; i < 500 && run.state.status() == RunStatus.RUNNING; i++) {
            run.tick(1, Verdict.GREEN);
        }
        assertThatRun(run).hasStatus(RunStatus.COMPLETED).isAtStage("s3").restoredInOrder("a", "b");
        assertThat(run.count(Transition.Kind.RUN_COMPLETED)).isEqualTo(1);
    }

    @Test
    void manualApprovalHoldsTheRampUntilPromoted() {
        RestorePlan base = simplePlan(GateFailureAction.STEP_BACK);
        List<Gate> gates = new ArrayList<>(base.gates());
        gates.add(new Gate("approve", GateKind.MANUAL_APPROVAL, null, null, null, null, null, null, null, "s3"));
        RunDriver run = new RunDriver(PlanDefaults.apply(
                new RestorePlan(base.name(), null, base.tier(), base.services(), base.stages(), gates, base.policy())));
        run.ticks(60, 1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s2");
        run.apply(OperatorAction.promote(run.plan, run.state, "lead approves"));
        run.tick(1, Verdict.GREEN);
        assertThatRun(run).isAtStage("s3");
    }

    @Test
    void maxStageTimePausesAStuckRun() {
        RestorePlan base = simplePlan(GateFailureAction.STEP_BACK);
        List<Stage> stages = new ArrayList<>(base.stages());
        stages.set(0, new Stage("s1", 0.25, null, 1.0, 10L, 20L));
        RunDriver run = new RunDriver(PlanDefaults.apply(
                new RestorePlan(base.name(), null, base.tier(), base.services(), stages, base.gates(), base.policy())));
        for (int i = 0; i < 20; i++) { // alternating: never passes, never trips
            run.tick(1, i % 2 == 0 ? Verdict.RED : Verdict.GREEN);
        }
        assertThatRun(run).hasStatus(RunStatus.PAUSED).isAtStage("s1");
        assertThat(run.state.pauseReason()).contains("maximum of 20 s");
    }

    @Test
    void allocationsStayWithinBudgetAndOffBlockedServicesOverRandomPlansAndHealth() {
        Verdict[] verdicts = Verdict.values();
        for (long seed = 0; seed < 200; seed++) {
            java.util.Random random = new java.util.Random(seed);
            TestPlans.Builder b = TestPlans.plan("random").capacity(10_000);
            int n = 1 + random.nextInt(25);
            Priority[] priorities = Priority.values();
            for (int i = 0; i < n; i++) {
                List<String> deps = new ArrayList<>();
                for (int j = 0; j < i; j++) {
                    if (random.nextInt(4) == 0) {
                        deps.add("s" + j);
                    }
                }
                b.service("s" + i, 1 + random.nextInt(300), priorities[random.nextInt(4)], deps.toArray(String[]::new));
            }
            RestorePlan plain = b.stages(
                            new Stage("a", 0.1, null, null, 5L, null),
                            new Stage("b", 0.5, null, null, 5L, null),
                            new Stage("c", 1.0, null, null, 5L, null))
                    .build();
            RestorePlan plan = PlanDefaults.apply(new RestorePlan(
                    plain.name(),
                    null,
                    tierWithProbe(10_000),
                    plain.services(),
                    plain.stages(),
                    List.of(errorGate()),
                    null));
            RunDriver run = new RunDriver(plan); // RunDriver checks the invariants on every tick
            for (int t = 0; t < 300 && run.state.status() == RunStatus.RUNNING; t++) {
                Verdict v = random.nextInt(10) < 7 ? Verdict.GREEN : verdicts[random.nextInt(3)];
                run.tick(1, v);
                assertThat(run.stages.get(run.stages.size() - 1) - run.stages.get(run.stages.size() - 2))
                        .as("seed %d: at most one stage per decision", seed)
                        .isBetween(-1, 1);
            }
        }
    }

    @Test
    void illegalOperatorActionsAreRejectedByName() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        assertThatThrownBy(() -> OperatorAction.resume(run.plan, run.state, "why", run.now))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("cannot resume a running run");
        run.apply(OperatorAction.pause(run.state, "looking at dashboards"));
        assertThatThrownBy(() -> OperatorAction.promote(run.plan, run.state, "go"))
                .hasMessage("cannot promote a paused run");
        assertThatThrownBy(() -> OperatorAction.stepBack(run.plan, run.state, "back", run.now))
                .hasMessageContaining("first stage");
        run.apply(OperatorAction.abort(run.plan, run.state, "tier lost again"));
        assertThatThrownBy(() -> OperatorAction.resume(run.plan, run.state, "why", run.now))
                .hasMessage("cannot resume an aborted run");
    }

    @Test
    void abortFreezesAtTheFloorWithoutCuttingRestoredServices() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK)); // safe rate 5/s
        while (run.state.services().get("a").status() != ServiceStatus.RESTORED) {
            run.tick(1, Verdict.GREEN);
        }
        run.tick(1, Verdict.GREEN);
        double aBefore = run.state.services().get("a").allocationPerSecond();
        assertThat(run.state.services().get("b").allocationPerSecond()).isGreaterThan(5);
        run.apply(OperatorAction.abort(run.plan, run.state, "tier wobbling"));
        assertThatRun(run).hasStatus(RunStatus.ABORTED);
        assertThat(run.state.services().get("a").allocationPerSecond()).isEqualTo(aBefore);
        assertThat(run.state.services().get("b").allocationPerSecond()).isEqualTo(5.0);
        run.ticks(30, 1, Verdict.GREEN);
        assertThat(run.state.services().get("b").allocationPerSecond()).isEqualTo(5.0);
    }

    @Test
    void overridePinsARateUntilItExpires() {
        RunDriver run = new RunDriver(simplePlan(GateFailureAction.STEP_BACK));
        Instant expiry = run.now.plusSeconds(5);
        run.apply(OperatorAction.override(run.plan, run.state, "a", 42, expiry, "alice", "probe the tier gently"));
        assertThat(run.state.services().get("a").allocationPerSecond()).isEqualTo(42.0);
        run.ticks(4, 1, Verdict.GREEN);
        assertThat(run.state.services().get("a").allocationPerSecond()).isEqualTo(42.0);
        run.tick(1, Verdict.GREEN);
        assertThat(run.state.overrides()).isEmpty();
        assertThat(run.count(Transition.Kind.OVERRIDE_EXPIRED)).isEqualTo(1);
        assertThat(run.state.services().get("a").allocationPerSecond()).isNotEqualTo(42.0);
    }

    /** a (critical, 100/s) <- b (normal, 100/s); capacity 400; stages 25%, 50%, 100%, hold 10 s. */
    static CompiledPlan compiled(RestorePlan document) {
        return PlanCompiler.compileStored(document);
    }

    /** The same plan with every stage held {@code holdSeconds}. */
    static RestorePlan withHolds(RestorePlan plan, long holdSeconds) {
        List<Stage> stages = plan.stages().stream()
                .map(st -> new Stage(
                        st.name(), st.share(), st.ratePerSecond(), st.burstSeconds(), holdSeconds, st.maxSeconds()))
                .toList();
        return new RestorePlan(
                plan.name(), null, plan.tier(), plan.services(), stages, plan.gates(), plan.policy(), plan.admission());
    }

    /** The simple plan with demands of 300 and 80/s: restored only at the last stage. */
    static RestorePlan bigDemandPlan() {
        RestorePlan simple = simplePlan(GateFailureAction.STEP_BACK);
        return new RestorePlan(
                simple.name(),
                null,
                simple.tier(),
                List.of(
                        new Service("a", 300.0, Priority.CRITICAL, List.of(), List.of()),
                        new Service("b", 80.0, Priority.NORMAL, List.of("a"), List.of())),
                simple.stages(),
                simple.gates(),
                simple.policy(),
                simple.admission());
    }

    static RestorePlan simplePlan(GateFailureAction onFailure) {
        return PlanDefaults.apply(new RestorePlan(
                "simple",
                null,
                tierWithProbe(400),
                List.of(
                        new Service("a", 100.0, Priority.CRITICAL, List.of(), List.of()),
                        new Service("b", 100.0, Priority.NORMAL, List.of("a"), List.of())),
                List.of(
                        new Stage("s1", 0.25, null, 1.0, 10L, null),
                        new Stage("s2", 0.5, null, 1.0, 10L, null),
                        new Stage("s3", 1.0, null, 1.0, 10L, null)),
                List.of(errorGate()),
                new FailurePolicy(onFailure, 2, 30L, 5.0, 1000L, 2L)));
    }

    private static Gate errorGate() {
        return new Gate("tier-errors", GateKind.TIER_ERROR_RATE, null, 0.05, null, null, 10L, 3, 2, null);
    }

    private static Tier tierWithProbe(double capacity) {
        return new Tier(
                "tier",
                capacity,
                List.of(new HealthSource("probe", HealthSourceKind.PUSH, null, null, null, null, null, null, null)));
    }
}
