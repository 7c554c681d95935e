package dev.sluice.e2e;

import java.util.List;

/**
 * One dependent service of the benchmark's plan, and how its clients behave.
 *
 * @param demandPerSecond interactive requests per second when restored (the plan's demand)
 * @param backlogShare share of the outage's demand kept as durable work, replayed after it
 * @param honoursRetryAfter whether a refusal (Sluice's 429, the static limiter's) is waited out
 *     for its Retry-After rather than handled by the retry policy
 */
record ServiceSpec(
        String name,
        String priority,
        List<String> dependsOn,
        double demandPerSecond,
        double backlogShare,
        RetryPolicy retry,
        boolean honoursRetryAfter) {}
