package dev.sluice.control.run;

/**
 * A second say over which replica runs the control loop. Without one, the PostgreSQL lock ({@link
 * LeaderLock}) alone decides. In operator mode the Kubernetes Lease decides first: only the replica
 * that holds it takes the lock and ticks, so the replica that reconciles is the one that ticks, and
 * the lock still fences a lease hand-over in which two replicas briefly both believe they hold it.
 * Implementations are thread-safe.
 */
public interface LoopLeadership {
    /** Whether this authority has a say now (false: operator mode is off, the lock alone decides). */
    boolean decides();

    /** When it {@link #decides}: whether this replica may lead the loop. */
    boolean mayLead();
}
