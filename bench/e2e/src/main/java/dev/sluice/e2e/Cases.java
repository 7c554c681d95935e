package dev.sluice.e2e;

import java.util.List;

/**
 * The benchmark's cases and the one plan they share. The numbers were chosen before any run
 * (see docs/e2e.md) and are not tuned to any result: a tier the plan states at 300 requests/s,
 * five services asking 45% of it, a ten-minute outage whose kept work is replayed at up to three
 * times each service's demand.
 */
final class Cases {
    private Cases() {}

    static final String PLAN = "e2e";
    static final String TIER_SOURCE = "tier-metrics";
    static final double PLAN_CAPACITY = 300;
    static final double BURST_SECONDS = 1.0;
    static final double SAFE_RATE_PER_SECOND = 5;
    /** Lease mode only: the shortest lease Sluice allows, so allocation changes reach clients within a second. */
    static final double LEASE_SECONDS = 2;

    static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("auth", "critical", List.of(), 30, 0.02, RetryPolicy.immediate(4), true),
            new ServiceSpec("config", "critical", List.of(), 15, 0.02, RetryPolicy.backoff(4, 0.2, 4), true),
            new ServiceSpec("api", "high", List.of("auth", "config"), 40, 0.03, RetryPolicy.backoff(4, 0.2, 4), true),
            // upload's clients ignore Retry-After: a refusal is just another failure to them
            new ServiceSpec("upload", "normal", List.of("auth"), 25, 0.05, RetryPolicy.immediate(4), false),
            new ServiceSpec("batch", "low", List.of(), 25, 0.05, RetryPolicy.backoff(4, 0.2, 4), true));

    static final ServiceClient.Behaviour CLIENTS = new ServiceClient.Behaviour(1000, 5, 3, 100, 0.1);
    static final TierEmulator.Thrashing THRASHING = new TierEmulator.Thrashing(0.25, 0.5, 0.6);
    static final double OUTAGE_SECONDS = 600;

    static List<BenchCase> all() {
        return List.of(
                of("a", "back whole at once", CapacitySchedule.step(PLAN_CAPACITY), 0, 60),
                of("b", "ramps back over 60 s from 20%", CapacitySchedule.ramp(PLAN_CAPACITY, 0.2, 60), 0, 90),
                of("c", "keeps a stale queue (4 s of capacity)", CapacitySchedule.step(PLAN_CAPACITY),
                        (int) (4 * PLAN_CAPACITY), 70),
                of("d", "plan overstates capacity (real = 60%)", CapacitySchedule.step(0.6 * PLAN_CAPACITY), 0, 110));
    }

    private static BenchCase of(String id, String title, CapacitySchedule capacity, int stale, double horizonSeconds) {
        return new BenchCase(id, title, PLAN_CAPACITY, capacity, stale, OUTAGE_SECONDS, horizonSeconds, SERVICES,
                CLIENTS, THRASHING, 20261201L);
    }

    /**
     * The plan Sluice runs: five stages held 5 s each, tier gates on the pushed error ratio (5%)
     * and p99 latency (500 ms, half the clients' deadline), 1 s ticks, a 1 s Retry-After spread.
     */
    static String planJson(BenchCase c, boolean shortLeases) {
        StringBuilder b = new StringBuilder();
        b.append("{\"name\":\"").append(PLAN).append("\",");
        b.append("\"description\":\"end-to-end benchmark plan (bench/e2e)\",");
        b.append("\"tier\":{\"name\":\"tier\",\"capacityPerSecond\":").append(c.planCapacityPerSecond());
        b.append(",\"health\":[{\"name\":\"").append(TIER_SOURCE).append("\",\"kind\":\"push\",\"staleAfterSeconds\":5}]},");
        b.append("\"services\":[");
        for (int i = 0; i < c.services().size(); i++) {
            ServiceSpec s = c.services().get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"name\":\"").append(s.name()).append("\",\"demandPerSecond\":").append(s.demandPerSecond());
            b.append(",\"priority\":\"").append(s.priority()).append("\",\"dependsOn\":[");
            for (int j = 0; j < s.dependsOn().size(); j++) {
                b.append(j > 0 ? "," : "").append(Json.quote(s.dependsOn().get(j)));
            }
            b.append("]}");
        }
        b.append("],\"stages\":[");
        double[] shares = {0.1, 0.25, 0.5, 0.75, 1.0};
        String[] names = {"s10", "s25", "s50", "s75", "s100"};
        for (int i = 0; i < shares.length; i++) {
            b.append(i > 0 ? "," : "")
                    .append("{\"name\":\"").append(names[i]).append("\",\"share\":").append(shares[i])
                    .append(",\"holdSeconds\":5,\"burstSeconds\":").append(BURST_SECONDS).append('}');
        }
        b.append("],\"gates\":[");
        b.append("{\"name\":\"tier-errors\",\"kind\":\"tier-error-rate\",\"maxErrorRatio\":0.05,"
                + "\"windowSeconds\":5,\"greenSamples\":3,\"redSamples\":2},");
        b.append("{\"name\":\"tier-p99\",\"kind\":\"tier-latency\",\"maxLatencyMillis\":500,\"percentile\":99,"
                + "\"windowSeconds\":5,\"greenSamples\":3,\"redSamples\":2}");
        b.append("],\"policy\":{\"tickIntervalMillis\":1000,\"retryAfterSeconds\":1,\"safeRatePerSecond\":")
                .append(SAFE_RATE_PER_SECOND)
                .append(",\"unknownHealthPauseSeconds\":60}");
        if (shortLeases) {
            b.append(",\"admission\":{\"leaseSeconds\":").append((int) LEASE_SECONDS).append('}');
        }
        b.append('}');
        return b.toString();
    }
}
