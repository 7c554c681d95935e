package dev.sluice.k8s.reconcile;

import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.store.StoredRun;
import dev.sluice.health.GateReading;
import dev.sluice.k8s.resource.RestoreRunStatus;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateKind;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run as a RestoreRun's status: the same facts the REST API's run view shows (stage, budget,
 * services with allocations and wants, gates with their latest readings), and conditions for
 * {@code kubectl wait} and humans. Pure.
 */
final class RunStatuses {
    private RunStatuses() {}

    static RestoreRunStatus of(
            StoredRun run, Map<String, Double> wants, List<Condition> previous, Long generation, Instant now) {
        CompiledPlan plan = run.plan();
        RunState s = run.state();
        RestoreRunStatus status = new RestoreRunStatus();
        status.phase = phase(s.status());
        status.runId = run.id();
        status.planVersion = run.planVersion();
        status.observedGeneration = generation;
        status.stageIndex = s.stage();
        status.stage = plan.stages().get(s.stage()).name();
        status.stages = plan.stages().size();
        status.budgetPerSecond = round(Ramp.budgetPerSecond(plan, s));
        status.allocatedPerSecond = round(s.totalAllocationPerSecond());
        status.pauseReason = s.pauseReason();
        status.startedBy = run.startedBy();
        status.runVersion = run.version();
        status.updatedAt = run.updatedAt().toString();
        for (CompiledPlan.Service svc : plan.services()) {
            RunState.ServiceRun sr = s.services().get(svc.name());
            RestoreRunStatus.ServiceStatus out = new RestoreRunStatus.ServiceStatus();
            out.name = svc.name();
            out.status = sr.status().toString();
            out.allocationPerSecond = round(sr.allocationPerSecond());
            out.demandPerSecond = svc.demandPerSecond();
            Double wanted = wants.get(svc.name());
            out.wantedPerSecond = wanted == null ? null : round(wanted);
            RunState.RateOverride pin = s.overrides().get(svc.name());
            if (pin != null) {
                out.overridePerSecond = pin.ratePerSecond();
                out.overrideExpiresAt = pin.expiresAt().toString();
            }
            status.services.add(out);
        }
        List<String> blocking = new ArrayList<>();
        for (Gate g : plan.document().gates()) {
            RestoreRunStatus.GateStatus out = new RestoreRunStatus.GateStatus();
            out.name = g.name();
            out.kind = g.kind().wireName();
            out.beforeStage = g.beforeStage();
            if (g.kind() == GateKind.MANUAL_APPROVAL) {
                boolean approved = g.beforeStage() != null && s.approvedStages().contains(g.beforeStage());
                out.state = approved ? "approved" : "awaiting-approval";
                boolean guardsNext = !plan.isLastStage(s.stage())
                        && (g.beforeStage() == null
                                || g.beforeStage()
                                        .equals(plan.stages().get(s.stage() + 1).name()));
                if (!approved && guardsNext) {
                    blocking.add(g.name() + " awaits approval (a RestoreAction promote approves it)");
                }
            } else {
                RunState.GateTrack t = s.gates().getOrDefault(g.name(), RunState.GateTrack.FRESH);
                out.state = Ramp.gateState(plan.healthGate(g.name()), t);
                out.greenStreak = t.greenStreak();
                out.redStreak = t.redStreak();
                GateReading r = t.last();
                if (r != null) {
                    out.value = r.value();
                    out.threshold = r.threshold();
                    out.detail = r.detail();
                }
                if (out.state.equals("tripped") || out.state.equals("unknown")) {
                    blocking.add(g.name() + " " + out.state + (r == null ? "" : ": " + r.detail()));
                }
            }
            status.gates.add(out);
        }
        Conditions c = new Conditions(previous, generation, now);
        boolean running = s.status() == RunStatus.RUNNING;
        c.set(
                "Progressing",
                running,
                running ? "Running" : status.phase,
                running
                        ? "at stage " + status.stage + " (" + (s.stage() + 1) + " of " + status.stages + "), budget "
                                + Ramp.rate(status.budgetPerSecond)
                        : "the run is " + s.status().wireName());
        c.set(
                "Paused",
                s.status() == RunStatus.PAUSED,
                s.status() == RunStatus.PAUSED ? "Paused" : "NotPaused",
                s.pauseReason() == null ? "" : s.pauseReason());
        boolean blocked = s.status().isActive() && !blocking.isEmpty();
        c.set("GateBlocked", blocked, blocked ? "GateBlocked" : "NoGateBlocks", String.join("; ", blocking));
        c.set(
                "Completed",
                s.status() == RunStatus.COMPLETED,
                s.status() == RunStatus.COMPLETED ? "Completed" : "NotCompleted",
                s.status() == RunStatus.COMPLETED ? "every service restored" : "");
        status.conditions = c.list();
        return status;
    }

    static String phase(RunStatus status) {
        String wire = status.wireName();
        return wire.substring(0, 1).toUpperCase(Locale.ROOT) + wire.substring(1);
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 1000.0) / 1000.0;
    }
}
