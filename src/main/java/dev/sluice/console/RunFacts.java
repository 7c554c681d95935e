package dev.sluice.console;

import dev.sluice.control.RunState;
import dev.sluice.plan.CompiledPlan;
import java.time.Instant;

/**
 * A run as the console reads it: what the store holds, without the store.
 *
 * @param lastTickAt when the controller last decided for the run; null before its first tick
 */
public record RunFacts(
        String id, String planName, CompiledPlan plan, RunState state, Instant lastTickAt, int version) {}
