package dev.sluice.control.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Ticks runs independently: each run's tick is handed to an executor, and a run is not handed over
 * again while its previous tick is still going. So a run whose health sources are slow (each read
 * may take its full timeout) delays only itself, never the other runs.
 */
final class RunTicks {
    private final Executor executor;
    private final Consumer<String> tick;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param tick one tick of one run; what it throws is the caller's to report (it must not throw
     *     to keep the run's slot: the slot is freed either way)
     */
    RunTicks(Executor executor, Consumer<String> tick) {
        this.executor = executor;
        this.tick = tick;
    }

    /** Starts a tick of every run given that is not already ticking; returns how many started. */
    int dispatch(Iterable<String> runIds) {
        int started = 0;
        for (String runId : runIds) {
            if (!inFlight.add(runId)) {
                continue;
            }
            try {
                executor.execute(() -> {
                    try {
                        tick.accept(runId);
                    } finally {
                        inFlight.remove(runId);
                    }
                });
                started++;
            } catch (RejectedExecutionException e) {
                inFlight.remove(runId); // tried again at the next loop
            }
        }
        return started;
    }

    boolean ticking(String runId) {
        return inFlight.contains(runId);
    }
}
