package dev.sluice.client;

import java.time.Duration;

/**
 * Hooks for the dependent's metrics and logs. Every method has an empty default; they are called on
 * the thread that caused them ({@link #onDecision} on the caller's hot path: keep it cheap, e.g. a
 * counter increment) and must not throw.
 */
public interface SluiceListener {
    /** A new answer is in force (a lease, its refresh, an unrestricted or closed answer, a fallback). */
    default void onAdmission(Admission admission) {}

    /** Sluice could not be reached or failed (5xx); {@code inForce} is what the client keeps enforcing. */
    default void onUnreachable(Exception cause, Admission inForce) {}

    /** Sluice refused the request itself (401, 403, 404, 409...): a configuration error to fix. */
    default void onRejected(int status, String detail) {}

    /** One request of the dependent admitted or not. */
    default void onDecision(boolean admitted) {}

    /** A permit refusal: the client will not ask again for {@code wait}. */
    default void onRetryAfter(Duration wait) {}
}
