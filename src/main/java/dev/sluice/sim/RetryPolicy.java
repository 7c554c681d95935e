package dev.sluice.sim;

import dev.sluice.domain.WireNames;
import java.util.Locale;

/**
 * What a client does when an attempt fails (timed out, answered with an error, or refused with 429
 * when it does not honour Retry-After).
 *
 * <ul>
 *   <li>{@code immediate}: sends the next attempt at once.</li>
 *   <li>{@code backoff}: waits a random delay, uniform in [0, min(cap, base·2^(attempt-1))]
 *       ("full jitter"), then sends the next attempt; without jitter it waits exactly
 *       min(cap, base·2^(attempt-1)), so clients that failed together retry together.</li>
 *   <li>{@code budget}: retries at once, but only while its retries stay within
 *       {@code budgetRatio} of its first attempts (a token bucket earning {@code budgetRatio} per first
 *       attempt, holding at most ten seconds' worth); past the budget an attempt fails for good.</li>
 *   <li>{@code adaptive}: client-side adaptive throttling (Site Reliability Engineering, "Handling
 *       Overload"): over the last two minutes it tracks requests sent and accepted, and rejects a new
 *       attempt locally with probability max(0, (requests − K·accepts) / (requests + 1)); a local
 *       rejection is a failed attempt that never reaches the tier. Retries otherwise go at once.</li>
 * </ul>
 * Every policy gives up after {@code maxAttempts} attempts in all.
 */
public record RetryPolicy(
        Kind kind,
        int maxAttempts,
        double baseDelaySeconds,
        double maxDelaySeconds,
        double budgetRatio,
        double throttleK,
        boolean jitter) {

    public enum Kind {
        IMMEDIATE,
        BACKOFF,
        BUDGET,
        ADAPTIVE;

        public String wireName() {
            return WireNames.of(this);
        }

        public static Kind fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static RetryPolicy immediate(int maxAttempts) {
        return new RetryPolicy(Kind.IMMEDIATE, maxAttempts, 0, 0, 0, 0, false);
    }

    /** Exponential backoff with full jitter. */
    public static RetryPolicy backoff(int maxAttempts, double baseDelaySeconds, double maxDelaySeconds) {
        return backoff(maxAttempts, baseDelaySeconds, maxDelaySeconds, true);
    }

    /** Exponential backoff, with full jitter or with none. */
    public static RetryPolicy backoff(
            int maxAttempts, double baseDelaySeconds, double maxDelaySeconds, boolean jitter) {
        return new RetryPolicy(Kind.BACKOFF, maxAttempts, baseDelaySeconds, maxDelaySeconds, 0, 0, jitter);
    }

    public static RetryPolicy budget(int maxAttempts, double budgetRatio) {
        return new RetryPolicy(Kind.BUDGET, maxAttempts, 0, 0, budgetRatio, 0, false);
    }

    public static RetryPolicy adaptive(int maxAttempts, double throttleK) {
        return new RetryPolicy(Kind.ADAPTIVE, maxAttempts, 0, 0, 0, throttleK, false);
    }

    /**
     * The longest delay before attempt {@code next} (2, 3, ...): the width of its jitter window, or
     * the delay itself without jitter.
     */
    double delayWindowSeconds(int next) {
        if (kind != Kind.BACKOFF) {
            return 0;
        }
        return Math.min(maxDelaySeconds, baseDelaySeconds * Math.pow(2, next - 2));
    }

    public String describe() {
        return switch (kind) {
            case IMMEDIATE -> "immediate retries, " + maxAttempts + " attempts";
            case BACKOFF ->
                String.format(
                        Locale.ROOT,
                        "backoff %s (base %.1f s, cap %.0f s), %d attempts",
                        jitter ? "with full jitter" : "without jitter",
                        baseDelaySeconds,
                        maxDelaySeconds,
                        maxAttempts);
            case BUDGET ->
                String.format(Locale.ROOT, "retry budget %.0f%%, %d attempts", budgetRatio * 100, maxAttempts);
            case ADAPTIVE ->
                String.format(Locale.ROOT, "adaptive throttling K=%.1f, %d attempts", throttleK, maxAttempts);
        };
    }
}
