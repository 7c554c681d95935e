package dev.sluice.control.run;

import dev.sluice.control.store.RunStore;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Drives active runs. Wakes every {@code sluice.controller.loop-period} (sub-second periods are
 * real: see {@link BackgroundWork#every}); at each wake, only the leader replica ({@link
 * LeaderLock}) hands every active run to {@link RunTicks}, and each run is ticked only when its
 * plan's tick interval has passed ({@link RunTicker}). Runs tick independently, on worker threads: a
 * run whose health reads are slow delays no other. A failing tick is logged and its run left at its
 * last committed state. Started with the application, stopped with it; thread-safe.
 */
@ApplicationScoped
class ControlLoop {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class);
    /** Lets the application finish starting before the first wake. */
    static final Duration FIRST_WAKE = Duration.ofSeconds(1);

    @Inject
    RunTicker ticker;

    @Inject
    RunStore runs;

    @Inject
    LeaderLock leader;

    @Inject
    BackgroundWork work;

    @Inject
    ControllerSettings settings;

    @Inject
    jakarta.enterprise.inject.Instance<LoopLeadership> outerLeadership;

    private volatile RunTicks ticks;
    private BackgroundWork.Periodic wakes;

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (!settings.loopEnabled() || wakes != null) {
            return;
        }
        ticks = new RunTicks(work.workers(), runId -> {
            try {
                ticker.tick(runId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "tick of run %s failed; it keeps its last committed state", runId);
            }
        });
        wakes = work.every("the control loop", FIRST_WAKE, settings.loopPeriod(), this::wake);
    }

    synchronized void stop() {
        if (wakes != null) {
            wakes.stop();
            wakes = null;
        }
    }

    /** Other authorities over leadership (CDI beans; none when the loop is built by hand). */
    Iterable<LoopLeadership> outerLeaderships() {
        return outerLeadership == null ? java.util.List.of() : outerLeadership;
    }

    /**
     * One wake: if this replica leads (or now becomes leader), start the due ticks. Where another
     * authority decides ({@link LoopLeadership}), a replica it does not choose lets go of the lock.
     */
    void wake() {
        for (LoopLeadership outer : outerLeaderships()) {
            if (outer.decides() && !outer.mayLead()) {
                if (leader.isLeader()) {
                    LOG.info("another replica holds the operator's lease; this one stops running the control loop");
                    leader.release();
                }
                return;
            }
        }
        if (leader.holdOrAcquire()) {
            ticks.dispatch(runs.activeRunIds());
        }
    }
}
