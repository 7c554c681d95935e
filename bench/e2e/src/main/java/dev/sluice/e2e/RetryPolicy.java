package dev.sluice.e2e;

import java.util.random.RandomGenerator;

/**
 * What a client does after a failed attempt (a 504, a 503, a transport error, a refusal it does
 * not wait out, or an answer that was useless because a dependency was down).
 *
 * @param kind {@code IMMEDIATE}: again at the next client tick; {@code BACKOFF}: exponential with
 *     full jitter, uniform in [0, min(maxDelaySeconds, baseDelaySeconds · 2^(attempt−1))]
 * @param maxAttempts attempts in all, the first included; then the request fails for good
 */
record RetryPolicy(Kind kind, int maxAttempts, double baseDelaySeconds, double maxDelaySeconds) {

    enum Kind {
        IMMEDIATE,
        BACKOFF
    }

    static RetryPolicy immediate(int maxAttempts) {
        return new RetryPolicy(Kind.IMMEDIATE, maxAttempts, 0, 0);
    }

    static RetryPolicy backoff(int maxAttempts, double baseDelaySeconds, double maxDelaySeconds) {
        return new RetryPolicy(Kind.BACKOFF, maxAttempts, baseDelaySeconds, maxDelaySeconds);
    }

    /** Seconds to wait before the next attempt, after {@code attemptsSoFar} failed ones. */
    double delaySeconds(int attemptsSoFar, RandomGenerator random) {
        if (kind == Kind.IMMEDIATE) {
            return 0;
        }
        double cap = Math.min(maxDelaySeconds, baseDelaySeconds * Math.pow(2, Math.max(0, attemptsSoFar - 1)));
        return random.nextDouble() * cap;
    }

    String label() {
        return kind == Kind.IMMEDIATE ? "immediate" : "backoff";
    }
}
