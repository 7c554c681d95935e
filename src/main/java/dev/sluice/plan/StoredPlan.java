package dev.sluice.plan;

import java.time.Instant;

/** A plan as stored: its spec (defaults applied) and the version that optimistic concurrency checks. */
public record StoredPlan(String name, int version, Instant createdAt, Instant updatedAt, RestorePlan spec) {}
