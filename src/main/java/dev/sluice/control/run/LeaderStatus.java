package dev.sluice.control.run;

/**
 * Whether this replica leads the control loop now (holds {@link LeaderLock}), for work that only
 * the leader does besides ticking. Thread-safe.
 */
public interface LeaderStatus {
    boolean isLeader();
}
