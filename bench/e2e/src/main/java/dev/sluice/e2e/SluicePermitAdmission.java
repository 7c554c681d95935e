package dev.sluice.e2e;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sluice's per-request permits over HTTP. Each tick a service with requests waiting asks
 * {@code POST /api/v1/runs/{run}/services/{svc}/permits} for as many as it wants (at most its
 * bucket's burst, which Sluice refuses beyond with a 400 and states in every answer's
 * {@code RateLimit-Policy} field as {@code sluice-burst}), one ask in flight per service. Granted
 * permits become sends on the following ticks. A {@code 429} refuses the whole ask: every asked
 * request counts a failed attempt, and a service that honours Retry-After asks nothing more until
 * {@code retryAfterMillis} from the body (the millisecond form of the header) has passed; one that
 * does not asks again at the next tick and retries by its own policy.
 *
 * <p>Asking for what it wants, rather than pacing itself to the rate it was told, is deliberate:
 * Sluice learns a service's backlog from the permits asked (granted or refused) and, in the
 * {@code sluice-wants} strategy, from the want each ask states ({@code clientId}, {@code
 * wantPerSecond}, as the client library does), and hands budget left over to the services that
 * want more.
 */
final class SluicePermitAdmission implements Admission {

    /** One instance of a service's client: its own ask in flight, its own Retry-After hold. */
    private final class Channel {
        final String clientId;
        int credit;
        boolean askInFlight;
        long holdUntilNanos;
        int burstCap = 1; // unknown until Sluice states a rate
        int pendingRefused;
        long pendingRetryAfterMillis;

        Channel(String clientId) {
            this.clientId = clientId;
        }
    }

    private final SluiceApi api;
    private final String runId;
    private final Map<String, Channel[]> channels = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong asks = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();

    private final boolean statesWant;
    private final int instances;

    /**
     * @param statesWant each ask states the rate the service wants ({@code clientId}, {@code wantPerSecond})
     * @param instances client instances per service: each asks for its share of the service's waiting
     *     requests and holds through its own Retry-After (1: the service is one client)
     */
    SluicePermitAdmission(SluiceApi api, String runId, boolean statesWant, int instances) {
        this.api = api;
        this.runId = runId;
        this.statesWant = statesWant;
        this.instances = instances;
    }

    @Override
    public Decision decide(ServiceClient client, int wantedRequests, long nowNanos) {
        Channel[] chs = channels.computeIfAbsent(client.name(), n -> {
            Channel[] created = new Channel[instances];
            for (int i = 0; i < instances; i++) {
                created[i] = new Channel(instances == 1 ? n : n + "-" + i);
            }
            return created;
        });
        int give = 0;
        int refused = 0;
        long retryAfter = 0;
        for (Channel ch : chs) {
            synchronized (ch) {
                int take = Math.min(ch.credit, wantedRequests - give);
                ch.credit -= take;
                give += take;
                refused += ch.pendingRefused;
                retryAfter = Math.max(retryAfter, ch.pendingRefused > 0 ? ch.pendingRetryAfterMillis : 0);
                ch.pendingRefused = 0;
            }
        }
        int remaining = wantedRequests - give - refused;
        // Each instance holds its share of what waits, and asks for it when it is free to.
        int share = (remaining + instances - 1) / instances;
        for (Channel ch : chs) {
            int ask = 0;
            synchronized (ch) {
                if (remaining > 0 && !ch.askInFlight && nowNanos >= ch.holdUntilNanos) {
                    ask = Math.min(Math.min(share, remaining), ch.burstCap);
                    ch.askInFlight = true;
                    remaining -= ask;
                }
            }
            if (ask > 0) {
                askPermits(client, ch, ask);
            }
        }
        return new Decision(give, refused, retryAfter);
    }

    private void askPermits(ServiceClient client, Channel ch, int count) {
        asks.incrementAndGet();
        // With statesWant, the rate it would send if nothing held it back (the figure the lease
        // strategy states): a service that honours Retry-After asks little more than it is granted,
        // so its asks alone show its backlog only slowly.
        String body = statesWant
                ? String.format(
                        java.util.Locale.ROOT,
                        "{\"count\":%d,\"clientId\":\"%s\",\"wantPerSecond\":%.1f}",
                        count,
                        ch.clientId,
                        client.wantedPerSecond() / instances)
                : "{\"count\":" + count + "}";
        api.postAsync("/api/v1/runs/" + runId + "/services/" + client.name() + "/permits", body)
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
            // The burst Sluice enforces, not one derived from the plan: a stage's bursts come out of
            // the tier's headroom, so at a full stage they are a tenth of a second, not the plan's
            // burstSeconds, and asking for more is a 400 that wastes a round trip.
            ch.burstCap = statedBurst(resp).orElse(ch.burstCap);
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

    /** {@code sluice-burst} of the answer's {@code RateLimit-Policy} field, when it has one. */
    static java.util.OptionalInt statedBurst(HttpResponse<String> resp) {
        return resp.headers()
                .firstValue("RateLimit-Policy")
                .map(BURST::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> java.util.OptionalInt.of(Math.max(1, Integer.parseInt(m.group(1)))))
                .orElse(java.util.OptionalInt.empty());
    }

    private static final java.util.regex.Pattern BURST = java.util.regex.Pattern.compile("sluice-burst=(\\d+)");

    @Override
    public String name() {
        return statesWant ? "sluice-wants" : "sluice";
    }
}
