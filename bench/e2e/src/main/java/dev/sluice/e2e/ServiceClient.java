package dev.sluice.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The clients of one dependent service: interactive requests arriving at the service's demand, a
 * durable backlog kept through the outage, retries by the service's policy, and an admission
 * strategy in front of the tier. Driven by {@link LoadGenerator}'s tick; answers arrive on
 * HTTP client threads, so state is guarded by this object's monitor.
 *
 * <p>A request served in time is useful only if every service it depends on is up (its useful
 * answers over the last two seconds reached 90% of its demand; two seconds and 90% rather than one
 * and 95%, because at 15 requests/s one request more or less is already 7%); otherwise it is a failed attempt, as
 * a login that succeeds while the session store is down is no login.
 */
final class ServiceClient {

    /** Per-second counters, read and reset by the recorder. */
    static final class Counters {
        long arrivals;
        long tierAttempts;
        long firstVisits;
        long useful;
        long useless;
        long interactiveOk;
        long interactiveFailed;
        long refused;
        long timeouts;
        long unavailable;
        long transportErrors;
        long backlogDone;

        Counters copy() {
            Counters c = new Counters();
            c.arrivals = arrivals;
            c.tierAttempts = tierAttempts;
            c.firstVisits = firstVisits;
            c.useful = useful;
            c.useless = useless;
            c.interactiveOk = interactiveOk;
            c.interactiveFailed = interactiveFailed;
            c.refused = refused;
            c.timeouts = timeouts;
            c.unavailable = unavailable;
            c.transportErrors = transportErrors;
            c.backlogDone = backlogDone;
            return c;
        }
    }

    private static final class Request {
        final long createdNanos;
        final boolean durable;
        int attempts;
        boolean visitedTier;
        long dueNanos;

        Request(long createdNanos, boolean durable) {
            this.createdNanos = createdNanos;
            this.durable = durable;
        }
    }

    /** How the clients of every service behave; the same for every strategy of a case. */
    record Behaviour(
            long tierTimeoutMillis, double giveUpSeconds, double backlogRate, int maxInFlight, double demandJitter) {}

    private static final int UP_WINDOW_TICKS = 40; // two seconds of 50 ms ticks

    final ServiceSpec spec;
    private final Behaviour behaviour;
    private final HttpClient http;
    private final URI workUri;
    private final SplittableRandom random;
    private Admission admission;
    private List<ServiceClient> dependencies = List.of();

    private final ArrayDeque<Request> ready = new ArrayDeque<>();
    private final PriorityQueue<Request> delayed =
            new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final ArrayDeque<Request> backlog = new ArrayDeque<>();
    private final int backlogAtStart;
    private double arrivalCredit;
    private double backlogCredit;
    private int inFlight;
    private long lastTickNanos = -1;

    private final long[] usefulRing = new long[UP_WINDOW_TICKS];
    private int ringIndex;
    private long usefulThisTick;
    private volatile double usefulInUpWindow;

    private Counters counters = new Counters();
    private final Counters totals = new Counters();

    ServiceClient(ServiceSpec spec, int backlogRequests, Behaviour behaviour, HttpClient http, URI workUri, long seed) {
        this.spec = spec;
        this.behaviour = behaviour;
        this.http = http;
        this.workUri = workUri;
        this.random = new SplittableRandom(seed);
        this.backlogAtStart = backlogRequests;
        long now = System.nanoTime();
        for (int i = 0; i < backlogRequests; i++) {
            backlog.add(new Request(now, true));
        }
    }

    void wire(Admission admission, List<ServiceClient> dependencies) {
        this.admission = admission;
        this.dependencies = List.copyOf(dependencies);
    }

    String name() {
        return spec.name();
    }

    int backlogAtStart() {
        return backlogAtStart;
    }

    /** Up: its useful answers over the last two seconds reached 90% of its demand. */
    boolean isUp() {
        return usefulInUpWindow >= 0.9 * 2 * spec.demandPerSecond();
    }

    /** Durable work still owed: never sent, or sent and failed. */
    synchronized int backlogPending() {
        int inDelay = 0;
        for (Request r : delayed) {
            if (r.durable) {
                inDelay++;
            }
        }
        return backlog.size() + inDelay;
    }

    /** Requests per second the service would send now if nothing held it back: for lease wants. */
    synchronized double wantedPerSecond() {
        double backlogRate = backlog.isEmpty() ? 0 : behaviour.backlogRate() * spec.demandPerSecond();
        return spec.demandPerSecond() + backlogRate + ready.size();
    }

    /** This second's counters, and a fresh set for the next. */
    synchronized Counters takeCounters() {
        Counters c = counters;
        counters = new Counters();
        return c;
    }

    synchronized Counters totals() {
        return totals.copy();
    }

    /** One client-loop tick: arrivals, due retries, give-ups, then as many sends as admission allows. */
    void tick(long nowNanos) {
        java.util.List<Request> toSend = new java.util.ArrayList<>();
        synchronized (this) {
            double dtSeconds = lastTickNanos < 0 ? 0 : (nowNanos - lastTickNanos) / 1e9;
            lastTickNanos = nowNanos;
            rotateUpWindow();
            double jitter = 1 + behaviour.demandJitter() * (2 * random.nextDouble() - 1);
            arrivalCredit += spec.demandPerSecond() * dtSeconds * jitter;
            while (arrivalCredit >= 1) {
                arrivalCredit -= 1;
                ready.add(new Request(nowNanos, false));
                count(c -> c.arrivals++);
            }
            while (!delayed.isEmpty() && delayed.peek().dueNanos <= nowNanos) {
                Request r = delayed.poll();
                (r.durable ? backlog : ready).add(r);
            }
            giveUpStale(nowNanos);
            double backlogRatePerSecond = behaviour.backlogRate() * spec.demandPerSecond();
            backlogCredit = Math.min(backlogRatePerSecond, backlogCredit + backlogRatePerSecond * dtSeconds);
            int backlogWanted = (int) Math.min(backlog.size(), Math.floor(backlogCredit));
            int slots = Math.max(0, behaviour.maxInFlight() - inFlight);
            int wanted = Math.min(slots, ready.size() + backlogWanted);
            Admission.Decision d = admission.decide(this, wanted, nowNanos);
            int admitted = Math.min(d.admitted(), wanted);
            // Take what goes out before refusing the rest, so a refusal never hits a request just admitted.
            while (admitted > 0 && !ready.isEmpty()) {
                toSend.add(ready.poll());
                admitted--;
            }
            while (admitted > 0 && !backlog.isEmpty()) {
                toSend.add(backlog.poll());
                backlogCredit -= 1;
                admitted--;
            }
            refuse(d.refused(), d.retryAfterMillis(), nowNanos);
        }
        for (Request r : toSend) {
            send(r);
        }
    }

    private void rotateUpWindow() {
        ringIndex = (ringIndex + 1) % UP_WINDOW_TICKS;
        usefulRing[ringIndex] = usefulThisTick;
        usefulThisTick = 0;
        long sum = 0;
        for (long v : usefulRing) {
            sum += v;
        }
        usefulInUpWindow = sum;
    }

    /** Interactive requests nobody waits for any more fail; durable ones never do. */
    private void giveUpStale(long nowNanos) {
        long limit = (long) (behaviour.giveUpSeconds() * 1e9);
        for (Iterator<Request> it = ready.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (nowNanos - r.createdNanos > limit) {
                it.remove();
                count(c -> c.interactiveFailed++);
            }
        }
    }

    /** Refusals hit the oldest ready interactive requests; refused backlog simply stays owed. */
    private void refuse(int refused, long retryAfterMillis, long nowNanos) {
        int n = Math.min(refused, ready.size());
        for (int i = 0; i < n; i++) {
            Request r = ready.poll();
            r.attempts++;
            count(c -> c.refused++);
            long delayNanos = spec.honoursRetryAfter() && retryAfterMillis > 0
                    ? retryAfterMillis * 1_000_000L
                    : (long) (spec.retry().delaySeconds(r.attempts, random) * 1e9);
            retryOrFail(r, nowNanos, delayNanos);
        }
        if (refused > n) {
            int rest = refused - n;
            count(c -> c.refused += rest);
        }
    }

    private void send(Request r) {
        synchronized (this) {
            inFlight++;
            r.attempts++;
            count(c -> c.tierAttempts++);
            if (!r.visitedTier) {
                r.visitedTier = true;
                count(c -> c.firstVisits++);
            }
        }
        HttpRequest req = HttpRequest.newBuilder(workUri)
                .timeout(Duration.ofMillis(behaviour.tierTimeoutMillis() * 2 + 500))
                .header("X-Timeout-Millis", Long.toString(behaviour.tierTimeoutMillis()))
                .header("X-Service", spec.name())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> answered(r, resp, err));
    }

    private void answered(Request r, HttpResponse<Void> resp, Throwable err) {
        long now = System.nanoTime();
        boolean depsUp = dependencies.stream().allMatch(ServiceClient::isUp);
        synchronized (this) {
            inFlight--;
            if (err == null && resp.statusCode() == 200 && depsUp) {
                usefulThisTick++;
                count(c -> c.useful++);
                if (r.durable) {
                    count(c -> c.backlogDone++);
                } else {
                    count(c -> c.interactiveOk++);
                }
                return;
            }
            if (err != null) {
                count(c -> c.transportErrors++);
            } else if (resp.statusCode() == 200) {
                count(c -> c.useless++);
            } else if (resp.statusCode() == 504) {
                count(c -> c.timeouts++);
            } else {
                count(c -> c.unavailable++);
            }
            retryOrFail(r, now, (long) (spec.retry().delaySeconds(r.attempts, random) * 1e9));
        }
    }

    private void retryOrFail(Request r, long nowNanos, long delayNanos) {
        if (r.durable) {
            r.dueNanos = nowNanos + delayNanos;
            if (delayNanos <= 0) {
                backlog.add(r);
            } else {
                delayed.add(r);
            }
            return;
        }
        boolean tooOld = nowNanos + delayNanos - r.createdNanos > (long) (behaviour.giveUpSeconds() * 1e9);
        if (r.attempts >= spec.retry().maxAttempts() || tooOld) {
            count(c -> c.interactiveFailed++);
            return;
        }
        r.dueNanos = nowNanos + delayNanos;
        delayed.add(r);
    }

    private interface Bump {
        void apply(Counters c);
    }

    private void count(Bump b) {
        b.apply(counters);
        b.apply(totals);
    }
}
