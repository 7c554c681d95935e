package dev.sluice.control.run;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives active runs. Runs often (every {@code sluice.controller.loop-period}); each run is ticked
 * only when its plan's tick interval has passed. Only the leader replica ticks. Runs tick
 * independently, on worker threads ({@link RunTicks}): a run whose health reads are slow delays no
 * other. A failing tick is logged and its run left at its last committed state.
 */
@ApplicationScoped
public class ControlLoop {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class);

    @Inject
    RunService runs;

    @Inject
    LeaderLock leader;

    @Inject
    org.eclipse.microprofile.context.ManagedExecutor executor;

    @ConfigProperty(name = "sluice.controller.loop-enabled", defaultValue = "true")
    boolean enabled;

    private RunTicks ticks;

    @jakarta.annotation.PostConstruct
    void init() {
        ticks = new RunTicks(executor, runId -> {
            try {
                runs.tick(runId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "tick of run %s failed; it keeps its last committed state", runId);
            }
        });
    }

    @Scheduled(
            every = "${sluice.controller.loop-period:250ms}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void loop() {
        if (!enabled || !leader.holdOrAcquire()) {
            return;
        }
        ticks.dispatch(runs.activeRunIds());
    }
}
