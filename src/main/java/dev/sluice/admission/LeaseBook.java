package dev.sluice.admission;

import dev.sluice.control.Allocator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The rate leases of one service on this replica. A lease's rate is the client's max-min fair
 * share of what this replica may lease, computed when the client asks or refreshes. A newcomer never
 * gets more than the others leave free, so the leased rates never add up to more than the share;
 * when the share shrinks, clients learn it at their next refresh. Expired leases free their share.
 *
 * <p>Refreshes are cheap (constant time): the fair-share level ("water level": everybody gets
 * min(want, level)) and the expiry sweep are recomputed at most every {@link #HOUSEKEEPING} or when
 * the share changes, and the sum of granted rates is kept up to date as leases change. So an expired
 * lease may count for up to that much longer. Thread-safe.
 */
public final class LeaseBook {
    /** How stale the fair-share level and the expiry sweep may be. */
    static final Duration HOUSEKEEPING = Duration.ofMillis(100);

    private record Lease(double wantPerSecond, double grantedPerSecond, Instant expiresAt) {}

    /** What a client is granted: enforce {@code ratePerSecond} locally, refresh after {@code refreshAfter}. */
    public record Grant(double ratePerSecond, long burst, Instant expiresAt, Instant refreshAfter, int liveLeases) {}

    private final Map<String, Lease> leases = new HashMap<>();
    private double grantedSum;
    private double wantedSum;
    private double level = Double.POSITIVE_INFINITY;
    private double levelShare = Double.NaN;
    private Instant housekeptAt = Instant.MIN;
    private Instant sweptAt = Instant.MIN;

    public synchronized Grant grant(
            String clientId,
            double wantPerSecond,
            double sharePerSecond,
            double burstSeconds,
            Duration leaseDuration,
            Instant now) {
        Lease previous = leases.remove(clientId);
        if (previous != null) {
            grantedSum -= previous.grantedPerSecond();
            wantedSum -= Math.max(0, previous.wantPerSecond());
        }
        boolean newcomer = previous == null;
        housekeep(now, sharePerSecond, wantPerSecond, newcomer);
        double fair = Math.min(Math.max(0, wantPerSecond), level);
        double rate = Math.max(0, Math.min(fair, sharePerSecond - grantedSum));
        Instant expiresAt = now.plus(leaseDuration);
        leases.put(clientId, new Lease(wantPerSecond, rate, expiresAt));
        grantedSum += rate;
        wantedSum += Math.max(0, wantPerSecond);
        long burst = rate > 0 ? Math.max(1, (long) Math.floor(rate * burstSeconds)) : 0;
        return new Grant(rate, burst, expiresAt, now.plus(leaseDuration.dividedBy(2)), leases.size());
    }

    /** Ends a client's lease at once (a client shutting down). */
    public synchronized boolean release(String clientId) {
        Lease gone = leases.remove(clientId);
        if (gone == null) {
            return false;
        }
        grantedSum -= gone.grantedPerSecond();
        wantedSum -= Math.max(0, gone.wantPerSecond());
        housekeptAt = Instant.MIN; // the level is due again
        return true;
    }

    /** Sum of the rates granted to live leases. */
    public synchronized double leasedPerSecond(Instant now) {
        expire(now);
        return Math.max(0, grantedSum);
    }

    /** Sum of what live leases asked for: above {@link #leasedPerSecond}, the clients have a backlog. */
    public synchronized double wantedPerSecond(Instant now) {
        expire(now);
        return Math.max(0, wantedSum);
    }

    public synchronized int live(Instant now) {
        expire(now);
        return leases.size();
    }

    /**
     * Sweeps expired leases and recomputes the fair-share level when due: every
     * {@link #HOUSEKEEPING}, when the share changed, or when a newcomer joins a set whose level has
     * not accounted for it (then only if the level is older than a tenth of the housekeeping period,
     * so a burst of newcomers costs one recomputation, not one each).
     */
    private void housekeep(Instant now, double share, double askingWant, boolean newcomer) {
        boolean due = !now.isBefore(housekeptAt.plus(HOUSEKEEPING))
                || share != levelShare
                || (newcomer && !now.isBefore(housekeptAt.plus(HOUSEKEEPING.dividedBy(10))));
        if (!due) {
            return;
        }
        expire(now);
        // The asking client's lease is out of the map while it is being renewed: count its want here.
        double[] wants = new double[leases.size() + 1];
        int i = 0;
        for (Lease l : leases.values()) {
            wants[i++] = Math.max(0, l.wantPerSecond());
        }
        wants[i] = Math.max(0, askingWant);
        level = Allocator.waterLevel(wants, share);
        levelShare = share;
        housekeptAt = now;
    }

    /** Drops expired leases; a full sweep runs at most every {@link #HOUSEKEEPING}. */
    private void expire(Instant now) {
        if (now.isBefore(sweptAt.plus(HOUSEKEEPING))) {
            return;
        }
        sweptAt = now;
        var it = leases.values().iterator();
        while (it.hasNext()) {
            Lease l = it.next();
            if (!l.expiresAt().isAfter(now)) {
                grantedSum -= l.grantedPerSecond();
                wantedSum -= Math.max(0, l.wantPerSecond());
                it.remove();
            }
        }
        if (leases.isEmpty()) {
            grantedSum = 0; // no drift from floating-point additions
            wantedSum = 0;
        }
    }
}
