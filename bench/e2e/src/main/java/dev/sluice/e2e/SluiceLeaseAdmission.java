package dev.sluice.e2e;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sluice's rate leases over HTTP: each service holds one lease
 * ({@code POST /api/v1/runs/{run}/services/{svc}/leases} with {@code wantPerSecond} = its demand,
 * plus its backlog's replay rate while it has one, plus the requests waiting), refreshes it every
 * {@code refreshSeconds}, and enforces the leased rate with a token bucket of its own (the lease's
 * burst). Nothing is refused: requests over the rate wait locally, as the lease contract intends.
 * Without a lease yet the service sends nothing; an expired one falls back to the plan's safe rate.
 */
final class SluiceLeaseAdmission implements Admission {

    private final class Channel {
        double ratePerSecond;
        double burstTokens = 1;
        double tokens;
        long lastNanos = -1;
        long refreshDueNanos;
        long expiresNanos = Long.MAX_VALUE;
        boolean inFlight;
    }

    private final SluiceApi api;
    private final String runId;
    private final double refreshSeconds;
    private final double leaseSeconds;
    private final double safeRatePerSecond;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    SluiceLeaseAdmission(SluiceApi api, String runId, double leaseSeconds, double safeRatePerSecond) {
        this.api = api;
        this.runId = runId;
        this.leaseSeconds = leaseSeconds;
        this.refreshSeconds = leaseSeconds / 2;
        this.safeRatePerSecond = safeRatePerSecond;
    }

    @Override
    public Decision decide(ServiceClient client, int wantedRequests, long nowNanos) {
        Channel ch = channels.computeIfAbsent(client.name(), n -> new Channel());
        boolean refresh;
        int admitted;
        synchronized (ch) {
            if (nowNanos > ch.expiresNanos) {
                ch.ratePerSecond = safeRatePerSecond; // fail static: the plan's safe rate after expiry
            }
            double dt = ch.lastNanos < 0 ? 0 : (nowNanos - ch.lastNanos) / 1e9;
            ch.lastNanos = nowNanos;
            ch.tokens = Math.min(ch.burstTokens, ch.tokens + ch.ratePerSecond * dt);
            admitted = (int) Math.min(wantedRequests, Math.floor(ch.tokens));
            ch.tokens -= admitted;
            refresh = !ch.inFlight && nowNanos >= ch.refreshDueNanos;
            if (refresh) {
                ch.inFlight = true;
            }
        }
        if (refresh) {
            refreshLease(client, ch, nowNanos);
        }
        return new Decision(admitted, 0, 0);
    }

    private void refreshLease(ServiceClient client, Channel ch, long nowNanos) {
        refreshes.incrementAndGet();
        double want = client.wantedPerSecond();
        api.postAsync("/api/v1/runs/" + runId + "/services/" + client.name() + "/leases",
                        "{\"clientId\":" + Json.quote(client.name() + "-bench") + ",\"wantPerSecond\":" + want + "}")
                .whenComplete((resp, err) -> answered(ch, nowNanos, resp, err));
    }

    private void answered(Channel ch, long askedNanos, HttpResponse<String> resp, Throwable err) {
        long now = System.nanoTime();
        synchronized (ch) {
            ch.inFlight = false;
            if (err != null || resp.statusCode() != 200) {
                errors.incrementAndGet();
                ch.refreshDueNanos = now + 500_000_000L; // keep the last lease; try again soon
                return;
            }
            Map<String, Object> body = Json.object(resp.body());
            ch.ratePerSecond = Json.number(body, "rate", 0);
            ch.burstTokens = Math.max(1, Json.number(body, "burst", 1));
            ch.tokens = Math.min(ch.tokens, ch.burstTokens);
            ch.refreshDueNanos = askedNanos + (long) (refreshSeconds * 1e9);
            ch.expiresNanos = askedNanos + (long) (leaseSeconds * 1e9);
        }
    }

    @Override
    public String name() {
        return "sluice-lease";
    }
}
