package dev.sluice.cli;

import dev.sluice.plan.store.PlanStore;

/**
 * What the command line must never do, kept in the tests as the fixture that proves
 * {@code ArchitectureTest}'s command-line rule fails when broken: reach past the API into a store.
 */
public final class ReadsTheStoreDirectly {
    private ReadsTheStoreDirectly() {}

    static Object plans(PlanStore store) {
        return store.list(null, 1);
    }
}
