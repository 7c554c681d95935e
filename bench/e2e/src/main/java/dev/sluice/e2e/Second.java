package dev.sluice.e2e;

import java.util.Map;

/**
 * What happened in one second of a strategy's run: the tier's side (from its own counters) and
 * each service's side (from its clients), plus Sluice's stage when it runs.
 *
 * @param tSeconds seconds since the tier came back, at the end of this second
 * @param capacityPerSecond the tier's real capacity C(t) at the end of the second
 * @param effectiveCapacityPerSecond C(t) less thrashing
 * @param arrivals requests that reached the tier in this second
 * @param sluiceAllocatedPerSecond the sum of Sluice's allocations at the end of the second (null without Sluice)
 * @param sluiceServices per service, Sluice's allocation and the want it sees at the end of the
 *     second (empty without Sluice)
 */
record Second(
        int tSeconds,
        double capacityPerSecond,
        double effectiveCapacityPerSecond,
        int queueDepth,
        int peakQueueDepth,
        long arrivals,
        long ok,
        long deadlineExceeded,
        long served,
        long wasted,
        Map<String, ServiceClient.Counters> services,
        Map<String, Integer> backlogPending,
        String sluiceStage,
        String sluiceStatus,
        Double sluiceAllocatedPerSecond,
        Map<String, SluiceService> sluiceServices) {

    /** A service as Sluice's run status shows it. */
    record SluiceService(double allocationPerSecond, double wantedPerSecond) {}

    long useful() {
        return services.values().stream().mapToLong(c -> c.useful).sum();
    }

    /** Thrashing: the tier has lost capacity to its own queue. */
    boolean overloaded() {
        return effectiveCapacityPerSecond < capacityPerSecond;
    }

    int totalBacklogPending() {
        return backlogPending.values().stream().mapToInt(Integer::intValue).sum();
    }
}
