package dev.sluice.control.store;

import dev.sluice.control.RunState;
import dev.sluice.plan.CompiledPlan;
import java.time.Instant;

/**
 * A run as stored, with the plan it runs, compiled (the plan's spec as the run started it: a run's
 * plan never changes).
 *
 * @param version the row's version: it changes with every write, and is what {@code If-Match} names
 * @param lastTickAt when the controller last decided for the run; null before its first tick
 */
public record StoredRun(
        String id,
        String planName,
        int planVersion,
        CompiledPlan plan,
        RunState state,
        String startedBy,
        Instant createdAt,
        Instant updatedAt,
        Instant lastTickAt,
        int version) {}
