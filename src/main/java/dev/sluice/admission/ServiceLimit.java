package dev.sluice.admission;

import dev.sluice.control.RunState;
import dev.sluice.control.ServiceStatus;
import dev.sluice.plan.DependencyGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's committed state allows one service on one replica: the one place where a stage's
 * allocation becomes a replica's share, and where "blocked by its dependencies" is decided for
 * admission. The permit bucket gets what the service's leases leave of the share.
 *
 * @param blocked the service is blocked and has no allocation (a pinned blocked service admits)
 * @param blockedBy while blocked, the dependencies not restored yet
 * @param sharePerSecond this replica's part of the service's allocation, requests/s
 * @param burstSeconds the stage's burst, in seconds of rate
 * @param pinned an operator's override fixes the service's rate: it borrows no spare budget
 */
public record ServiceLimit(
        boolean blocked, List<String> blockedBy, double sharePerSecond, double burstSeconds, boolean pinned) {
    public static final ServiceLimit CLOSED = new ServiceLimit(false, List.of(), 0, 0);

    public ServiceLimit {
        blockedBy = List.copyOf(blockedBy);
    }

    /** A limit no override pins. */
    public ServiceLimit(boolean blocked, List<String> blockedBy, double sharePerSecond, double burstSeconds) {
        this(blocked, blockedBy, sharePerSecond, burstSeconds, false);
    }

    /**
     * Each service's limit on a replica, from the run's committed state.
     *
     * @param replicasSharing how many replicas divide the allocation (1 when one bucket is shared)
     */
    public static Map<String, ServiceLimit> of(
            DependencyGraph graph, RunState state, double burstSeconds, int replicasSharing) {
        int share = Math.max(1, replicasSharing);
        Map<String, ServiceLimit> limits = new LinkedHashMap<>();
        state.services().forEach((name, s) -> {
            boolean blocked = s.status() == ServiceStatus.BLOCKED && s.allocationPerSecond() <= 0;
            List<String> waitingFor = blocked
                    ? graph.dependenciesOf(name).stream()
                            .filter(d -> state.services().get(d).status() != ServiceStatus.RESTORED)
                            .toList()
                    : List.of();
            limits.put(
                    name,
                    new ServiceLimit(
                            blocked,
                            waitingFor,
                            s.allocationPerSecond() / share,
                            burstSeconds,
                            state.overrides().containsKey(name)));
        });
        return limits;
    }

    /** What leases may hold: nothing while blocked. */
    public double leasableSharePerSecond() {
        return blocked ? 0 : sharePerSecond;
    }

    /** The permit bucket's limit: the share less what leases hold. */
    public RateLimit permitLimit(double leasedPerSecond) {
        return RateLimit.of(Math.max(0, leasableSharePerSecond() - leasedPerSecond), burstSeconds);
    }
}
