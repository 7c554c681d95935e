package dev.sluice.admission;

import dev.sluice.admission.AdmissionOutcome.Reason;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Admission of one service of one run on this replica: its current limit, its bucket (created when
 * it first opens), its leases, and counts of what was asked and answered. The hot path reads
 * volatile fields, calls the bucket and adds to a counter; nothing else is shared.
 */
public final class ServiceAdmission {
    private final String name;
    private final LeaseBook leases = new LeaseBook();
    /** What clients said they want with their permit requests. */
    private final StatedWants stated = new StatedWants();
    /**
     * Permits asked for, granted or not, by clients that do not state their rate: with the stated
     * wants and the leases' wants, what the service's clients want.
     */
    private final LongAdder asked = new LongAdder();

    private final Map<Reason, LongConsumer> answered = new EnumMap<>(Reason.class);
    private final Function<RateLimit, PermitBucket> bucketFactory;
    /** The run's unused budget on this replica, lent when this service's own bucket is short; null: none. */
    private final SpareBudget spare;
    /** What the own buckets of the run's services hold together (see {@link SpareBudget#tryLend}). */
    private final LongSupplier savedByRun;

    private volatile ServiceLimit limitOfRun = ServiceLimit.CLOSED;
    private volatile RateLimit permitLimit = RateLimit.CLOSED;
    private volatile PermitBucket bucket;
    private long askedAtLastMeasure;
    /** Leases another process granted that this one's book does not hold: at most this rate, until then. */
    private volatile double leasedElsewherePerSecond;

    private volatile Instant leasedElsewhereUntil = Instant.MIN;

    /** The answer to a permit request: granted, or refused with a reason. */
    public sealed interface Answer permits Granted, Refused {}

    /** @param remaining tokens left in the bucket after the grant */
    public record Granted(long permits, long remaining) implements Answer {}

    /**
     * @param waitNanos for {@code OVER_RATE}, how long until the bucket could grant them; 0 otherwise
     * @param remaining tokens the bucket holds now (fewer than asked for)
     */
    public record Refused(Reason reason, long waitNanos, long remaining) implements Answer {}

    /**
     * @param counters for each outcome, where to count the permits answered with it (metrics);
     *     called once per outcome here, then on the hot path
     * @param spare what the run's services leave unused, shared with them; null when nothing is lent
     * @param savedByRun the tokens the own buckets of all the run's services hold now
     */
    public ServiceAdmission(
            String name,
            Function<RateLimit, PermitBucket> bucketFactory,
            Function<Reason, LongConsumer> counters,
            SpareBudget spare,
            LongSupplier savedByRun) {
        this.name = name;
        this.bucketFactory = bucketFactory;
        this.spare = spare;
        this.savedByRun = savedByRun;
        for (Reason r : Reason.values()) {
            answered.put(r, counters.apply(r));
        }
    }

    /** A service on its own: nothing lent to it, its answers not counted. */
    public ServiceAdmission(String name, Function<RateLimit, PermitBucket> bucketFactory) {
        this(name, bucketFactory, reason -> permits -> {}, null, () -> 0);
    }

    public String name() {
        return name;
    }

    /**
     * Applies what the run committed for this service ({@link ServiceLimit}): its share less what
     * its leases hold refills the permit bucket.
     */
    public void allocate(ServiceLimit limit, Instant now) {
        this.limitOfRun = limit;
        permitsGetWhatLeasesLeave(now);
    }

    /** A rate lease for one client: its fair part of the share, never more than the others leave free. */
    public LeaseBook.Grant lease(String clientId, double wantPerSecond, java.time.Duration leaseDuration, Instant now) {
        ServiceLimit current = limitOfRun;
        LeaseBook.Grant grant = leases.grant(
                clientId, wantPerSecond, current.leasableSharePerSecond(), current.burstSeconds(), leaseDuration, now);
        permitsGetWhatLeasesLeave(now);
        return grant;
    }

    public boolean release(String clientId, Instant now) {
        boolean released = leases.release(clientId);
        if (released) {
            permitsGetWhatLeasesLeave(now);
        }
        return released;
    }

    /**
     * Leaves room, until {@code until}, for up to {@code perSecond} of leases that another process
     * granted — this one's predecessor, killed or restarted — whose clients may still enforce them:
     * a client keeps its lease until it ends while Sluice cannot be reached, and learns of a new
     * process only at its next refresh, but a lease book is the memory of the process that granted
     * it. Until then the permits get what both leave; from then on (the next {@link #allocate}) what
     * this process's leases leave.
     */
    public void leaveRoomForLeasesGrantedElsewhere(double perSecond, Instant until, Instant now) {
        leasedElsewherePerSecond = Math.max(0, perSecond);
        leasedElsewhereUntil = until;
        permitsGetWhatLeasesLeave(now);
    }

    private void permitsGetWhatLeasesLeave(Instant now) {
        ServiceLimit current = limitOfRun;
        double leased = leases.leasedPerSecond(now);
        if (now.isBefore(leasedElsewhereUntil)) {
            leased += leasedElsewherePerSecond;
        }
        apply(current.permitLimit(leased));
    }

    /**
     * Applies a new permit limit; creates the bucket (empty) the first time the service opens, and
     * empties it when the service reopens.
     */
    private synchronized void apply(RateLimit next) {
        boolean wasClosed = permitLimit.isClosed();
        permitLimit = next;
        if (next.isClosed()) {
            return;
        }
        if (bucket == null) {
            bucket = bucketFactory.apply(next);
        } else {
            bucket.reconfigure(next);
            if (wasClosed) {
                bucket.empty();
            }
        }
    }

    /**
     * The admission decision for {@code permits} requests: blocked, unallocated, or the bucket's
     * answer — and when the bucket is short, a loan of what the run's other services left unused
     * ({@link SpareBudget}), unless an override pins this service. The hot path: volatile reads,
     * two bucket calls, one counter.
     *
     * @throws TooManyAtOnceException when more permits are asked at once than the bucket can hold
     */
    public Answer admit(long permits) {
        asked.add(permits);
        return decide(permits);
    }

    /**
     * The same decision for a client that names itself and may state what it wants: the statement
     * replaces its previous one and lives until {@code statedUntil}. While a client's stated rate
     * lives, its asks do not count toward the service's want (the statement does instead).
     */
    public Answer admit(long permits, StatedWant want, Instant now, Instant statedUntil) {
        boolean counted =
                want.statesAnything() ? stated.record(want, statedUntil) : !stated.coversAsks(want.clientId(), now);
        if (counted) {
            asked.add(permits);
        }
        return decide(permits);
    }

    private Answer decide(long permits) {
        ServiceLimit run = limitOfRun;
        RateLimit current = permitLimit;
        PermitBucket b = bucket;
        Answer answer;
        if (run.blocked()) {
            answer = new Refused(Reason.BLOCKED, 0, 0);
        } else if (current.isClosed() || b == null) {
            answer = new Refused(Reason.NO_ALLOCATION, 0, 0);
        } else if (permits > current.burstTokens()) {
            throw new TooManyAtOnceException(current.burstTokens());
        } else {
            ConsumptionProbe probe = b.tryConsume(permits);
            if (probe.isConsumed()) {
                if (spare != null) {
                    spare.spent(permits);
                }
                answer = new Granted(permits, probe.getRemainingTokens());
            } else if (spare != null && !run.pinned() && spare.tryLend(permits, savedByRun)) {
                answer = new Granted(permits, probe.getRemainingTokens());
            } else {
                answer = new Refused(Reason.OVER_RATE, probe.getNanosToWaitForRefill(), probe.getRemainingTokens());
            }
        }
        answered.get(answer instanceof Refused r ? r.reason() : Reason.GRANTED).accept(permits);
        return answer;
    }

    /** The tokens this service's bucket holds now (0 while it has none). */
    public long savedTokens() {
        PermitBucket b = bucket;
        return b == null || permitLimit.isClosed() ? 0 : b.availableTokens();
    }

    /** The permit bucket's limit now (the share less what leases hold). */
    public RateLimit permitLimit() {
        return permitLimit;
    }

    /** What the run last committed for this service on this replica. */
    public ServiceLimit limitOfRun() {
        return limitOfRun;
    }

    /** The dependencies this service waits for, while it is blocked. */
    public List<String> blockedBy() {
        return limitOfRun.blockedBy();
    }

    public int liveLeases(Instant now) {
        return leases.live(now);
    }

    public double leasedPerSecond(Instant now) {
        return leases.leasedPerSecond(now);
    }

    /** Clients with a live stated want on this replica. */
    public int statedWants(Instant now) {
        return stated.live(now);
    }

    /**
     * What the clients wanted over the last {@code elapsedSeconds}: permits asked per second by
     * clients that do not state their rate, plus what live statements and live leases want (as they
     * are now, not averaged). Called by one thread at a time (the reporter).
     */
    synchronized double wantedPerSecond(double elapsedSeconds, Instant now) {
        long total = asked.sum();
        double permits = elapsedSeconds > 0 ? (total - askedAtLastMeasure) / elapsedSeconds : 0;
        askedAtLastMeasure = total;
        return permits + stated.perSecond(now) + leases.wantedPerSecond(now);
    }

    /** More permits asked in one request than the service's burst: they could never be granted. */
    public static final class TooManyAtOnceException extends RuntimeException {
        private final long burst;

        TooManyAtOnceException(long burst) {
            super(null, null, false, false);
            this.burst = burst;
        }

        public long burst() {
            return burst;
        }
    }
}
