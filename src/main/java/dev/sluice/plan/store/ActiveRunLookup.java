package dev.sluice.plan.store;

import java.util.Optional;

/**
 * Tells whether a plan has a run in progress, which forbids deleting it. Implemented by the
 * controller; when no implementation is deployed no plan has a run.
 */
public interface ActiveRunLookup {
    /** The id of an active run of the plan, if any. */
    Optional<String> activeRunOf(String planName);
}
