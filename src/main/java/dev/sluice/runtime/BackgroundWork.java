package dev.sluice.runtime;

import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Where Sluice's own background work runs: the one executor policy of the application.
 *
 * <ul>
 *   <li>Work runs on Quarkus's worker pool (the injected {@link ManagedExecutor}: bounded by {@code
 *       quarkus.thread-pool.max-threads}, shut down by Quarkus). Sluice creates no thread pool of its
 *       own; blocking work (health reads, database writes) belongs there, never on the event loop.
 *   <li>Periodic work ({@link #every}) is paced by a Vert.x timer, which keeps any period: Quarkus's
 *       {@code @Scheduled} runs at most once a second. The timer only hands the work to the pool; a
 *       beat that comes while the previous run of the same task is still going is skipped, so a slow
 *       run never piles up behind itself.
 *   <li>Work that must not run concurrently with itself goes through a {@link #serial} executor: one
 *       task at a time, in submission order, still on the pool.
 * </ul>
 *
 * <p>Thread-safe.
 */
@Singleton
public class BackgroundWork {
    private static final Logger LOG = Logger.getLogger(BackgroundWork.class);

    private final Vertx vertx;
    private final Executor workers;

    @Inject
    BackgroundWork(Vertx vertx, ManagedExecutor workers) {
        this(vertx, (Executor) workers);
    }

    private BackgroundWork(Vertx vertx, Executor workers) {
        this.vertx = vertx;
        this.workers = workers;
    }

    /** The same policy on a given Vert.x and pool, for code that runs without CDI (tests, tools). */
    public static BackgroundWork on(Vertx vertx, Executor workers) {
        return new BackgroundWork(vertx, workers);
    }

    /** The worker pool, for one-off blocking work. */
    public Executor workers() {
        return workers;
    }

    /** An executor that runs its tasks one at a time, in the order given, on the worker pool. */
    public Executor serial(String name) {
        return new SerialExecutor(name, workers);
    }

    /**
     * Runs {@code task} on the worker pool every {@code period}, first after {@code initialDelay},
     * until the returned handle is stopped. What the task throws is logged; the next beat runs it
     * again.
     *
     * @param name what the task is, for the log
     */
    public Periodic every(String name, Duration initialDelay, Duration period, Runnable task) {
        AtomicBoolean running = new AtomicBoolean();
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (DatabaseUnavailable.isCause(e)) {
                    // Expected while the database is down, every beat: one line, not a stack trace.
                    LOG.warnf(
                            "%s could not reach the database; it runs again at its next beat: %s",
                            name,
                            DatabaseUnavailable.in(e).map(Throwable::getMessage).orElse(""));
                } else {
                    LOG.errorf(e, "%s failed; it runs again at its next beat", name);
                }
            } finally {
                running.set(false);
            }
        };
        long timer = vertx.setPeriodic(Math.max(1, initialDelay.toMillis()), Math.max(1, period.toMillis()), id -> {
            if (!running.compareAndSet(false, true)) {
                return; // the previous run is still going: skip this beat
            }
            try {
                workers.execute(guarded);
            } catch (RejectedExecutionException e) {
                running.set(false); // shutting down, or the pool is full: the next beat tries again
            }
        });
        return () -> vertx.cancelTimer(timer);
    }

    /** A periodic task; stopping it cancels its timer (a run already going finishes). */
    @FunctionalInterface
    public interface Periodic {
        void stop();
    }

    /** One task at a time, in order, each on a pool thread; a failing task does not stop the others. */
    private static final class SerialExecutor implements Executor {
        private final String name;
        private final Executor workers;
        private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();

        SerialExecutor(String name, Executor workers) {
            this.name = name;
            this.workers = workers;
        }

        @Override
        public void execute(Runnable task) {
            queue.add(task);
            schedule();
        }

        private void schedule() {
            if (draining.compareAndSet(false, true)) {
                try {
                    workers.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    draining.set(false);
                    throw e;
                }
            }
        }

        private void drain() {
            try {
                for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "a task of %s failed", name);
                    }
                }
            } finally {
                draining.set(false);
                if (!queue.isEmpty()) {
                    schedule(); // added after the last poll, before draining was cleared
                }
            }
        }
    }
}
