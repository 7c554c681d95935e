package dev.sluice.e2e;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sluice's per-request permits over HTTP. Each tick a service with requests waiting asks
 * {@code POST /api/v1/runs/{run}/services/{svc}/permits} for as many as it wants (at most its
 * bucket's burst, which Sluice refuses beyond with a 400), one ask in flight per service. Granted
 * permits become sends on the following ticks. A {@code 429} refuses the whole ask: every asked
 * request counts a failed attempt, and a service that honours Retry-After asks nothing more until
 * {@code retryAfterMillis} from the body (the millisecond form of the header) has passed; one that
 * does not asks again at the next tick and retries by its own policy.
 *
 * <p>Asking for what it wants, rather than pacing itself to the rate it was told, is deliberate:
 * Sluice learns a service's backlog from the permits asked (granted or refused), and hands budget
 * left over to the services that ask for more.
 */
final class SluicePermitAdmission implements Admission {

    private final class Channel {
        int credit;
        boolean askInFlight;
        long holdUntilNanos;
        int burstCap = 1; // unknown until Sluice states a rate
        int pendingRefused;
        long pendingRetryAfterMillis;
    }

    private final SluiceApi api;
    private final String runId;
    private final double burstSeconds;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong asks = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();

    SluicePermitAdmission(SluiceApi api, String runId, double burstSeconds) {
        this.api = api;
        this.runId = runId;
        this.burstSeconds = burstSeconds;
    }

    @Override
    public Decision decide(ServiceClient client, int wantedRequests, long nowNanos) {
        Channel ch = channels.computeIfAbsent(client.name(), n -> new Channel());
        int ask;
        Decision d;
        synchronized (ch) {
            int give = Math.min(ch.credit, wantedRequests);
            ch.credit -= give;
            int refused = ch.pendingRefused;
            long retryAfter = ch.pendingRetryAfterMillis;
            ch.pendingRefused = 0;
            d = new Decision(give, refused, retryAfter);
            int remaining = wantedRequests - give - refused;
            ask = 0;
            if (remaining > 0 && !ch.askInFlight && nowNanos >= ch.holdUntilNanos) {
                ask = Math.min(remaining, ch.burstCap);
                ch.askInFlight = true;
            }
        }
        if (ask > 0) {
            askPermits(client, ch, ask);
        }
        return d;
    }

    private void askPermits(ServiceClient client, Channel ch, int count) {
        asks.incrementAndGet();
        api.postAsync("/api/v1/runs/" + runId + "/services/" + client.name() + "/permits", "{\"count\":" + count + "}")
                .whenComplete((resp, err) -> answered(client, ch, count, resp, err));
    }

    private void answered(ServiceClient client, Channel ch, int count, HttpResponse<String> resp, Throwable err) {
        long now = System.nanoTime();
        synchronized (ch) {
            ch.askInFlight = false;
            if (err != null) {
                // Sluice unreachable: hold a second (a real client would fall back to its lease or safe rate).
                errors.incrementAndGet();
                ch.holdUntilNanos = now + 1_000_000_000L;
                return;
            }
            Map<String, Object> body;
            try {
                body = Json.object(resp.body());
            } catch (IllegalArgumentException e) {
                errors.incrementAndGet();
                ch.holdUntilNanos = now + 1_000_000_000L;
                return;
            }
            double rate = Json.number(body, "ratePerSecond", -1);
            if (rate >= 0) {
                ch.burstCap = (int) Math.max(1, Math.floor(rate * burstSeconds));
            }
            switch (resp.statusCode()) {
                case 200 -> ch.credit += (int) Json.number(body, "granted", 0);
                case 429 -> {
                    refusals.incrementAndGet();
                    long retryAfterMillis = (long) Json.number(body, "retryAfterMillis", 1000);
                    ch.pendingRefused += count;
                    ch.pendingRetryAfterMillis = retryAfterMillis;
                    if (client.spec.honoursRetryAfter()) {
                        ch.holdUntilNanos = now + retryAfterMillis * 1_000_000L;
                    }
                }
                case 400 -> ch.burstCap = Math.max(1, Math.min(ch.burstCap, count) / 2); // more than the burst
                default -> {
                    errors.incrementAndGet();
                    ch.holdUntilNanos = now + 1_000_000_000L;
                }
            }
        }
    }

    @Override
    public String name() {
        return "sluice";
    }
}
