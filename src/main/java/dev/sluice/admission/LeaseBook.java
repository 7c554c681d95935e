package dev.sluice.admission;

import dev.sluice.control.Allocator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rate leases of one service on this replica. A lease's rate is the client's max-min fair
 * share of what this replica may lease, computed when the client asks or refreshes. A newcomer never
 * gets more than the others leave free, so the leased rates never add up to more than the share;
 * when the share shrinks, clients learn it at their next refresh. Expired leases free their share.
 * Thread-safe.
 */
public final class LeaseBook {
    private record Lease(double wantPerSecond, double grantedPerSecond, Instant expiresAt) {
    }

    /** What a client is granted: enforce {@code ratePerSecond} locally, refresh after {@code refreshAfter}. */
    public record Grant(double ratePerSecond, long burst, Instant expiresAt, Instant refreshAfter, int liveLeases) {
    }

    private final Map<String, Lease> leases = new HashMap<>();

    public synchronized Grant grant(String clientId, double wantPerSecond, double sharePerSecond,
                                    double burstSeconds, Duration leaseDuration, Instant now) {
        expire(now);
        Map<String, Double> wants = new LinkedHashMap<>();
        leases.forEach((id, l) -> wants.put(id, l.wantPerSecond()));
        wants.put(clientId, wantPerSecond);
        double fair = Allocator.maxMinFair(sharePerSecond, wants).get(clientId);
        double othersHold = leases.entrySet().stream().filter(e -> !e.getKey().equals(clientId))
                .mapToDouble(e -> e.getValue().grantedPerSecond()).sum();
        double rate = Math.max(0, Math.min(fair, sharePerSecond - othersHold));
        Instant expiresAt = now.plus(leaseDuration);
        leases.put(clientId, new Lease(wantPerSecond, rate, expiresAt));
        long burst = rate > 0 ? Math.max(1, (long) Math.floor(rate * burstSeconds)) : 0;
        return new Grant(rate, burst, expiresAt, now.plus(leaseDuration.dividedBy(2)), leases.size());
    }

    /** Ends a client's lease at once (a client shutting down). */
    public synchronized boolean release(String clientId) {
        return leases.remove(clientId) != null;
    }

    /** Sum of the rates granted to live leases. */
    public synchronized double leasedPerSecond(Instant now) {
        expire(now);
        return leases.values().stream().mapToDouble(Lease::grantedPerSecond).sum();
    }

    public synchronized int live(Instant now) {
        expire(now);
        return leases.size();
    }

    private void expire(Instant now) {
        leases.values().removeIf(l -> !l.expiresAt().isAfter(now));
    }
}
