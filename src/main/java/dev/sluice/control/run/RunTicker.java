package dev.sluice.control.run;

import dev.sluice.audit.store.AuditLog;
import dev.sluice.control.Decision;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.ServiceWants;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.health.GateEvaluator;
import dev.sluice.health.GateReading;
import dev.sluice.health.HealthHistory;
import dev.sluice.health.HealthSample;
import dev.sluice.health.source.HealthSourceReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tick of one run: read its health, decide with {@link Ramp#decide}, commit. Health is read
 * outside any transaction (it is I/O with timeouts); the decision is made and stored in a
 * transaction of its own, under the run's row lock, on the state as it is then (an operator may
 * have acted meanwhile), together with its audit events. Each run's health history lives here, in
 * memory. Thread-safe for different runs; the caller ({@link RunTicks}) never ticks one run twice
 * at once.
 */
@ApplicationScoped
public class RunTicker {
    /** Samples are kept this long: longer than any gate window (see PlanLimits.MAX_WINDOW_SECONDS). */
    private static final Duration HISTORY = Duration.ofSeconds(3_600 + 60);
    /**
     * A tick later than its interval by more than this was not missed for slowness (health reads are
     * bounded well below it) but because the loop could not tick: see {@link #unreadGap}.
     */
    static final Duration GAP_SLACK = Duration.ofSeconds(5);

    @Inject
    Clock clock;

    @Inject
    RunStore runs;

    @Inject
    RunRecorder recorder;

    @Inject
    HealthSourceReader healthReader;

    @Inject
    ServiceWants serviceWants;

    @Inject
    ControllerSettings settings;

    private final Map<String, HealthHistory> histories = new ConcurrentHashMap<>();

    /**
     * Ticks the run if it is active and due: its plan's tick interval has passed since its last
     * tick, give or take half a loop period (the loop wakes once a period, and a run is ticked at
     * the wake nearest its due time). Returns false when it was not ticked.
     */
    public boolean tick(String runId) {
        Optional<StoredRun> found = runs.find(runId);
        if (found.isEmpty() || !found.get().state().status().isActive()) {
            histories.remove(runId);
            return false;
        }
        StoredRun snapshot = found.get();
        Instant now = clock.instant();
        if (!due(snapshot, now)) {
            return false;
        }
        boolean running = snapshot.state().status() == RunStatus.RUNNING;
        boolean firstHere = !histories.containsKey(runId);
        HealthHistory history = histories.computeIfAbsent(runId, k -> new HealthHistory(HISTORY));
        if (running) {
            for (HealthSample sample : healthReader.read(snapshot.planName(), snapshot.plan(), now)) {
                history.add(sample);
            }
        }
        Map<String, GateReading> readings = GateEvaluator.evaluate(snapshot.plan(), history.snapshot(), now);
        Map<String, Double> wants = running ? serviceWants.wantedPerSecond(runId) : Map.of();
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<StoredRun> locked = runs.lock(runId);
            if (locked.isEmpty()) {
                return false;
            }
            Instant decidedAt = clock.instant();
            RunState state = locked.get().state();
            Duration unread = unreadGap(locked.get(), firstHere, now);
            if (!unread.isZero()) {
                state = Ramp.resumeAfterGap(state, unread, decidedAt);
            }
            Decision decision = Ramp.decide(snapshot.plan(), state, readings, wants, decidedAt);
            StoredRun after = runs.save(locked.get(), decision.next(), decidedAt, true);
            recorder.record(after, decision, AuditLog.CONTROLLER, null, readings, decidedAt);
            return true;
        });
    }

    /**
     * How long the run went without a tick beyond its interval, when that is a gap in which its
     * health was not read, else zero: the first tick of this process (a restart or a new leader:
     * nothing it read before is in memory), or a tick more than {@link #GAP_SLACK} late (the
     * database could not be read or written, so no tick was committed).
     */
    static Duration unreadGap(StoredRun run, boolean firstHere, Instant now) {
        if (run.lastTickAt() == null) {
            return Duration.ZERO;
        }
        Duration late = Duration.between(run.lastTickAt(), now)
                .minusMillis(run.plan().policy().tickIntervalMillis());
        if (late.isNegative()) {
            return Duration.ZERO;
        }
        return firstHere || late.compareTo(GAP_SLACK) > 0 ? late : Duration.ZERO;
    }

    private boolean due(StoredRun run, Instant now) {
        if (run.lastTickAt() == null) {
            return true;
        }
        long slackMillis = settings.loopPeriod().toMillis() / 2;
        return Duration.between(run.lastTickAt(), now).toMillis() + slackMillis
                >= run.plan().policy().tickIntervalMillis();
    }
}
