package dev.sluice.e2e;

import java.util.List;

/**
 * One restoration scenario: the plan the operators wrote, the tier as it really comes back, and
 * how long to watch. Every strategy of a case sees the same tier, clients and seeds.
 *
 * @param planCapacityPerSecond what the plan states the tier can take when healthy
 * @param capacity the tier's real capacity from t = 0 (the moment it is back)
 * @param staleRequests requests the tier kept queued through the outage (served first, all wasted)
 * @param outageSeconds how long the tier was down: sets the backlogs (demand × outage × share)
 */
record BenchCase(
        String id,
        String title,
        double planCapacityPerSecond,
        CapacitySchedule capacity,
        int staleRequests,
        double outageSeconds,
        double horizonSeconds,
        List<ServiceSpec> services,
        ServiceClient.Behaviour clients,
        TierEmulator.Thrashing thrashing,
        long seed) {

    double demandPerSecond() {
        return services.stream().mapToDouble(ServiceSpec::demandPerSecond).sum();
    }

    int backlogOf(ServiceSpec s) {
        return (int) Math.round(s.demandPerSecond() * outageSeconds * s.backlogShare());
    }

    int totalBacklog() {
        return services.stream().mapToInt(this::backlogOf).sum();
    }
}
