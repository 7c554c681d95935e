package dev.sluice.e2e;

import java.util.SplittableRandom;

/**
 * The static limiter: one client-side token bucket at the plan's healthy capacity (a one-second
 * burst), shared by every service first come, first served, with no health feedback and no
 * dependency order. Refusals carry a Retry-After spread uniformly over {@code retrySpreadMillis},
 * as Sluice spreads its own.
 */
final class StaticBucketAdmission implements Admission {
    private final double ratePerSecond;
    private final double burstTokens;
    private final long retrySpreadMillis;
    private final SplittableRandom random;
    private double tokens;
    private long lastNanos = -1;

    StaticBucketAdmission(double ratePerSecond, long retrySpreadMillis, long seed) {
        this.ratePerSecond = ratePerSecond;
        this.burstTokens = ratePerSecond; // one second
        this.retrySpreadMillis = retrySpreadMillis;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized Decision decide(ServiceClient client, int wantedRequests, long nowNanos) {
        if (lastNanos < 0) {
            lastNanos = nowNanos;
            tokens = 0; // a limiter switched on at recovery starts empty, not with a burst saved up
        }
        tokens = Math.min(burstTokens, tokens + ratePerSecond * (nowNanos - lastNanos) / 1e9);
        lastNanos = nowNanos;
        int admitted = (int) Math.min(wantedRequests, Math.floor(tokens));
        tokens -= admitted;
        int refused = wantedRequests - admitted;
        return new Decision(admitted, refused, refused > 0 ? 1 + random.nextLong(retrySpreadMillis) : 0);
    }

    @Override
    public String name() {
        return "static";
    }
}
