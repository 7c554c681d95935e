package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.control.Decision;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.RunState;
import dev.sluice.control.Transition;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.testing.RunPlans;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NoticesTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final AtomicInteger ids = new AtomicInteger();

    @Test
    void aPauseAnnouncesItselfWithItsReasonAndActor() {
        CompiledPlan plan = plan();
        RunState running = RunState.starting(NOW, java.util.Map.of(), java.util.Map.of());
        Decision paused = OperatorAction.pause(running, "storage team asks to hold");

        List<Notice> notices =
                Notices.of("r-1", "demo", plan, paused.next(), paused.transitions(), "alice", null, NOW, this::id);

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo(EventType.RUN_PAUSED);
            assertThat(n.reason()).isEqualTo("storage team asks to hold");
            assertThat(n.actor()).isEqualTo("alice");
            assertThat(n.id()).isEqualTo("msg_1");
        });
    }

    @Test
    void gateAndServiceChangesAnnounceNothing() {
        List<Transition> quiet = List.of(
                new Transition(Transition.Kind.GATE_CHANGED, "tier-errors", "settling", "passed", "green"),
                new Transition(Transition.Kind.SERVICE_ADMITTING, "b", "blocked", "admitting", "a is up"));
        RunState running = RunState.starting(NOW, java.util.Map.of(), java.util.Map.of());

        assertThat(Notices.of("r-1", "demo", plan(), running, quiet, "controller", null, NOW, this::id))
                .isEmpty();
    }

    @Test
    void aStartLeadsWithTheOperatorsReason() {
        RunState running = RunState.starting(NOW, java.util.Map.of(), java.util.Map.of());
        List<Transition> start = List.of(
                new Transition(Transition.Kind.RUN_STARTED, "run", null, "quarter", "started at stage quarter"));

        assertThat(Notices.of("r-1", "demo", plan(), running, start, "alice", "kv is back", NOW, this::id))
                .singleElement()
                .satisfies(n -> assertThat(n.reason()).isEqualTo("kv is back (started at stage quarter)"));
    }

    private String id() {
        return "msg_" + ids.incrementAndGet();
    }

    private static CompiledPlan plan() {
        return PlanCompiler.compileStored(PlanCodec.read(
                RunPlans.pushPlan("demo").getBytes(java.nio.charset.StandardCharsets.UTF_8), PlanFormat.JSON));
    }
}
