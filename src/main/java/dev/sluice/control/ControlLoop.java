package dev.sluice.control;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives active runs. Runs often (every {@code sluice.controller.loop-period}); each run is ticked
 * only when its plan's tick interval has passed. Only the leader replica ticks; a failing run is
 * logged and left at its last committed state, and the others go on.
 */
@ApplicationScoped
public class ControlLoop {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class);

    @Inject
    RunService runs;

    @Inject
    LeaderLock leader;

    @ConfigProperty(name = "sluice.controller.loop-enabled", defaultValue = "true")
    boolean enabled;

    @Scheduled(every = "${sluice.controller.loop-period:250ms}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void loop() {
        if (!enabled || !leader.holdOrAcquire()) {
            return;
        }
        for (String runId : runs.activeRunIds()) {
            try {
                runs.tick(runId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "tick of run %s failed; it keeps its last committed state", runId);
            }
        }
    }
}
