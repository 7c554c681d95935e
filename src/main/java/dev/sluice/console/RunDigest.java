package dev.sluice.console;

import dev.sluice.audit.AuditEvent;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.ServiceStatus;
import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateKind;
import dev.sluice.plan.RestorationOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the console shows of runs: a row per run for the overview (the ones waiting for a human
 * first) and the detail of one (stage ladder, services in waves, gates as sentences, timeline
 * newest first). Every state is a word and a symbol, never a colour alone. Pure.
 */
public final class RunDigest {
    /** Data older than this (a few missed ticks) is flagged stale on the page. */
    static final Duration STALE_AFTER = Duration.ofSeconds(10);

    private RunDigest() {}

    /**
     * @param waitingWhy why a human is needed (paused, approval pending, health unknown); null when not
     * @param freshness how old the controller's last decision is, e.g. "3 s ago"
     * @param eta the estimate of the time to completion ({@link #eta}), e.g. "≥ 4 m 10 s"
     */
    public record Row(
            String id,
            String plan,
            String status,
            String statusWord,
            String waitingWhy,
            int stageNumber,
            int stages,
            String stageName,
            String budget,
            int restored,
            int services,
            String timeInStage,
            String freshness,
            boolean stale,
            String eta) {
        public boolean waiting() {
            return waitingWhy != null;
        }
    }

    public record StageLine(
            int number, String name, String share, String budget, String hold, String where, boolean current) {}

    /** @param blockedBy what keeps it from admitting or restoring, in words; empty when nothing */
    public record ServiceLine(
            String name,
            String status,
            String statusWord,
            String allocation,
            String demand,
            String wanted,
            String priority,
            String blockedBy,
            String override) {}

    public record Wave(int number, List<ServiceLine> services) {}

    /**
     * @param sentence the reading in words: "blocked by tier-p99: p99 612 ms > 500 ms over 30 s"
     */
    public record GateLine(
            String name,
            String kind,
            String state,
            String stateWord,
            String value,
            String threshold,
            String beforeStage,
            String sentence,
            boolean blocking) {}

    public record Detail(
            Row row,
            String pauseReason,
            String holdRemaining,
            String allocated,
            String ceiling,
            List<StageLine> ladder,
            List<Wave> waves,
            List<GateLine> gates,
            List<String> blockers,
            List<AuditEvent> timeline,
            int version,
            List<Approval> approvals,
            String chart) {}

    /** The overview's order: waiting for a human first, then active, then finished; newest first within. */
    public static List<Row> overview(List<RunFacts> runs, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (RunFacts r : runs) {
            rows.add(row(r, now));
        }
        rows.sort(Comparator.comparingInt(RunDigest::rank));
        return rows;
    }

    private static int rank(Row r) {
        if (r.waiting()) {
            return 0;
        }
        return r.status().equals(RunStatus.RUNNING.wireName()) ? 1 : 2;
    }

    public static Row row(RunFacts r, Instant now) {
        CompiledPlan plan = r.plan();
        RunState s = r.state();
        int restored = (int) s.services().values().stream()
                .filter(x -> x.status() == ServiceStatus.RESTORED)
                .count();
        Duration age = r.lastTickAt() == null ? null : Duration.between(r.lastTickAt(), now);
        boolean active = s.status().isActive();
        return new Row(
                r.id(),
                r.planName(),
                s.status().wireName(),
                statusWord(s.status()),
                waitingWhy(plan, s),
                s.stage() + 1,
                plan.stages().size(),
                plan.stages().get(s.stage()).name(),
                Ramp.rate(Ramp.budgetPerSecond(plan, s)),
                restored,
                plan.services().size(),
                active ? Durations.of(Duration.between(s.stageEnteredAt(), now)) : "–",
                age == null ? "not ticked yet" : Durations.of(age) + " ago",
                active && (age == null || age.compareTo(STALE_AFTER) > 0),
                eta(plan, s, now));
    }

    /**
     * The time to completion, estimated as the least it can be: what is left of the current stage's
     * hold (nothing once promoted) plus the holds of the stages ahead, every gate passing at its
     * first chance. Said "unknown" (with why) when that rests on nothing: the run is paused, its
     * health is unknown, a gate reads red, a stage ahead waits for an approval no one gave, or a
     * ceiling holds the run below its stages. Past the last stage's hold, completion waits for every
     * service to be restored and its backlog drained, which no hold bounds: "any moment (…)".
     */
    public static String eta(CompiledPlan plan, RunState s, Instant now) {
        if (!s.status().isActive()) {
            return s.status() == RunStatus.COMPLETED ? "done" : "–";
        }
        if (s.status() == RunStatus.PAUSED) {
            return "unknown (paused)";
        }
        if (s.unknownSince() != null) {
            return "unknown (health unknown)";
        }
        boolean red = s.gates().values().stream()
                .anyMatch(t -> t.last() != null && t.last().verdict() == Verdict.RED);
        if (red) {
            return "unknown (a gate is red)";
        }
        if (s.ceiling().atPerSecond() != null) {
            return "unknown (held under the tier's ceiling)";
        }
        CompiledPlan.Stage current = plan.stages().get(s.stage());
        long held = Duration.between(s.stageEnteredAt(), now).getSeconds();
        long seconds = s.holdSkipped() ? 0 : Math.max(0, current.holdSeconds() - held);
        for (int i = s.stage() + 1; i < plan.stages().size(); i++) {
            CompiledPlan.Stage st = plan.stages().get(i);
            if (plan.needsApproval(st) && !s.approvedStages().contains(st.name())) {
                return "unknown (stage " + st.name() + " needs approval)";
            }
            seconds += st.holdSeconds();
        }
        if (seconds == 0) {
            return "any moment (waiting for services to restore and backlogs to drain)";
        }
        return "≥ " + Durations.of(Duration.ofSeconds(seconds));
    }

    /**
     * Stages ahead that wait for an operator's approval, nearest first; {@code next} marks the one a
     * promote approves now (the stage after the current one, of a running run).
     */
    public record Approval(String stage, String gate, boolean next) {}

    static List<Approval> approvals(CompiledPlan plan, RunState s) {
        List<Approval> out = new ArrayList<>();
        if (!s.status().isActive()) {
            return out;
        }
        for (int i = s.stage() + 1; i < plan.stages().size(); i++) {
            CompiledPlan.Stage st = plan.stages().get(i);
            if (plan.needsApproval(st) && !s.approvedStages().contains(st.name())) {
                String gate = plan.document().gates().stream()
                        .filter(g -> g.kind() == GateKind.MANUAL_APPROVAL
                                && st.name().equals(g.beforeStage()))
                        .map(Gate::name)
                        .findFirst()
                        .orElse("");
                out.add(new Approval(st.name(), gate, i == s.stage() + 1 && s.status() == RunStatus.RUNNING));
            }
        }
        return out;
    }

    static String waitingWhy(CompiledPlan plan, RunState s) {
        if (s.status() == RunStatus.PAUSED) {
            return "paused" + (s.pauseReason() == null ? "" : ": " + s.pauseReason());
        }
        if (s.status() != RunStatus.RUNNING) {
            return null;
        }
        if (s.unknownSince() != null) {
            return "health unknown";
        }
        if (!plan.isLastStage(s.stage())) {
            CompiledPlan.Stage next = plan.stages().get(s.stage() + 1);
            if (plan.needsApproval(next) && !s.approvedStages().contains(next.name())) {
                return "approval pending for stage " + next.name();
            }
        }
        return null;
    }

    public static Detail detail(RunFacts r, List<AuditEvent> latestOldestFirst, Instant now) {
        return detail(r, latestOldestFirst, List.of(), now);
    }

    /** @param history the run's samples, oldest first, for the chart */
    public static Detail detail(
            RunFacts r, List<AuditEvent> latestOldestFirst, List<dev.sluice.control.RunSample> history, Instant now) {
        CompiledPlan plan = r.plan();
        RunState s = r.state();
        CompiledPlan.Stage stage = plan.stages().get(s.stage());
        long held = Duration.between(s.stageEnteredAt(), now).getSeconds();
        String holdRemaining = !s.status().isActive()
                ? "–"
                : s.holdSkipped()
                        ? "skipped (promoted)"
                        : Durations.of(Duration.ofSeconds(Math.max(0, stage.holdSeconds() - held)));
        List<StageLine> ladder = new ArrayList<>();
        for (int i = 0; i < plan.stages().size(); i++) {
            CompiledPlan.Stage st = plan.stages().get(i);
            String where = i < s.stage() ? "✔ passed" : i == s.stage() ? "▶ current" : "· ahead";
            if (i > s.stage() && plan.needsApproval(st)) {
                where += s.approvedStages().contains(st.name()) ? " (approved)" : " (needs approval)";
            }
            ladder.add(new StageLine(
                    i + 1,
                    st.name(),
                    String.format(Locale.ROOT, "%.0f%%", st.share() * 100),
                    Ramp.rate(plan.budgetPerSecond(i)),
                    st.holdSeconds() + " s",
                    where,
                    i == s.stage()));
        }
        List<Wave> waves = new ArrayList<>();
        for (RestorationOrder.Wave w : RestorationOrder.of(plan.document()).waves()) {
            List<ServiceLine> lines = new ArrayList<>();
            for (RestorationOrder.Entry e : w.services()) {
                lines.add(service(plan, s, e));
            }
            waves.add(new Wave(w.index() + 1, lines));
        }
        List<GateLine> gates = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        for (Gate g : plan.document().gates()) {
            GateLine line = gate(plan, s, g);
            gates.add(line);
            if (line.blocking()) {
                blockers.add(line.sentence());
            }
        }
        List<AuditEvent> timeline = new ArrayList<>(latestOldestFirst);
        java.util.Collections.reverse(timeline);
        RunState.Ceiling c = s.ceiling();
        String ceiling = c.trippedPerSecond() == null
                ? null
                : (c.heldPerSecond() == null ? "" : "tier held " + Ramp.rate(c.heldPerSecond()) + "; ")
                        + Ramp.rate(c.trippedPerSecond()) + " tripped "
                        + (c.trips() == 1 ? "once" : c.trips() + " times");
        return new Detail(
                row(r, now),
                s.pauseReason(),
                holdRemaining,
                Ramp.rate(s.totalAllocationPerSecond()),
                ceiling,
                ladder,
                waves,
                gates,
                blockers,
                timeline,
                r.version(),
                approvals(plan, s),
                RunChart.svg(history));
    }

    private static ServiceLine service(CompiledPlan plan, RunState s, RestorationOrder.Entry e) {
        RunState.ServiceRun run = s.services().get(e.name());
        List<String> waitsOn = e.dependsOn().stream()
                .filter(d -> s.services().get(d).status() != ServiceStatus.RESTORED)
                .toList();
        String blockedBy = waitsOn.isEmpty() ? "" : "waits on " + String.join(", ", waitsOn);
        RunState.RateOverride o = s.overrides().get(e.name());
        return new ServiceLine(
                e.name(),
                run.status().toString(),
                switch (run.status()) {
                    case BLOCKED -> "○ blocked";
                    case ADMITTING -> "▶ admitting";
                    case RESTORED -> "✔ restored";
                },
                Ramp.rate(run.allocationPerSecond()),
                Ramp.rate(e.demandPerSecond()),
                run.smoothedWantPerSecond() == null ? "–" : Ramp.rate(run.smoothedWantPerSecond()),
                e.priority().wireName(),
                blockedBy,
                o == null
                        ? ""
                        : "pinned at " + Ramp.rate(o.ratePerSecond()) + " by " + o.actor() + " until " + o.expiresAt());
    }

    private static GateLine gate(CompiledPlan plan, RunState s, Gate g) {
        if (g.kind() == GateKind.MANUAL_APPROVAL) {
            boolean approved = g.beforeStage() != null && s.approvedStages().contains(g.beforeStage());
            return new GateLine(
                    g.name(),
                    g.kind().wireName(),
                    approved ? "approved" : "awaiting-approval",
                    approved ? "✔ approved" : "⚑ awaiting approval",
                    "–",
                    "–",
                    g.beforeStage(),
                    approved ? g.name() + ": approved" : g.name() + ": waits for an operator to promote",
                    false);
        }
        RunState.GateTrack t = s.gates().getOrDefault(g.name(), RunState.GateTrack.FRESH);
        String state = Ramp.gateState(plan.healthGate(g.name()), t);
        GateReading reading = t.last();
        boolean red = reading != null && reading.verdict() == Verdict.RED;
        String sentence;
        if (reading == null) {
            sentence = g.name() + ": not read yet";
        } else if (red) {
            sentence = "blocked by " + g.name() + ": " + reading.detail();
        } else {
            sentence = g.name() + ": " + reading.detail();
        }
        if (red && state.equals("settling")) {
            // Streaks restart when the run trickles or steps back: the reading is still red.
            state = "red";
        }
        return new GateLine(
                g.name(),
                g.kind().wireName(),
                state,
                switch (state) {
                    case "red" -> "✖ red";
                    case "passed" -> "✔ passed";
                    case "tripped" -> "✖ tripped";
                    case "unknown" -> "? unknown";
                    case "settling" -> "… settling";
                    default -> "– not read";
                },
                reading == null || reading.value() == null ? "–" : number(reading.value(), reading.threshold()),
                reading == null || reading.threshold() == null ? "–" : number(reading.threshold(), reading.threshold()),
                g.beforeStage(),
                sentence,
                red && s.status().isActive());
    }

    /** A gate's value at its threshold's precision, so the two compare at a glance: 0.0000 vs 0.0500, 612 vs 500. */
    static String number(double v, Double threshold) {
        double scale = threshold == null ? v : threshold;
        if (Math.abs(scale) < 1 && scale != 0) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String statusWord(RunStatus s) {
        return switch (s) {
            case RUNNING -> "▶ running";
            case PAUSED -> "❚❚ paused";
            case COMPLETED -> "✔ completed";
            case ABORTED -> "✖ aborted";
        };
    }
}
