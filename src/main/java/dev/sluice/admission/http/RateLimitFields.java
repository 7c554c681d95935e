package dev.sluice.admission.http;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} response fields
 * (draft-ietf-httpapi-ratelimit-headers-11: Structured Field lists of items with integer
 * parameters) for a service's token bucket. The policy is named after the service:
 *
 * <pre>
 * RateLimit-Policy: "auth";q=300;w=1;sluice-burst=300
 * RateLimit: "auth";r=290;t=1
 * </pre>
 *
 * <ul>
 *   <li>{@code q} per {@code w} seconds: the bucket's rate, over the shortest whole-second window in
 *       which it earns at least one permit (1 s from 1/s up); {@code q=0} while closed;
 *   <li>{@code sluice-burst}: the most the bucket can release at once (vendor parameter);
 *   <li>{@code r}: permits the bucket holds now;
 *   <li>{@code t}: after a grant, seconds until the bucket is full again; after a refusal, the
 *       {@code Retry-After} seconds, so that {@code Retry-After} never points before the end of the
 *       effective window (as the draft asks).
 * </ul>
 *
 * Plain string building: service names are DNS labels, valid inside a Structured Field string.
 */
public final class RateLimitFields {
    public static final String POLICY = "RateLimit-Policy";
    public static final String LIMIT = "RateLimit";
    /** The largest Structured Field integer. */
    private static final long MAX_SF_INTEGER = 999_999_999_999_999L;

    private RateLimitFields() {}

    public static String policy(String service, double ratePerSecond, long burstTokens) {
        long windowSeconds = 1;
        long quota = 0;
        if (ratePerSecond > 0 && Double.isFinite(ratePerSecond)) {
            // 1e-9 absorbs floating-point noise: 1 / (1/3.0) is 3.0000000000000004, a 3 s window.
            windowSeconds = (long) Math.min(MAX_SF_INTEGER, Math.max(1, Math.ceil(1 / ratePerSecond - 1e-9)));
            quota = (long) Math.min(MAX_SF_INTEGER, Math.floor(ratePerSecond * windowSeconds + 1e-9));
        }
        return item(service) + ";q=" + quota + ";w=" + windowSeconds + ";sluice-burst=" + Math.max(0, burstTokens);
    }

    public static String limit(String service, long remaining, long effectiveWindowSeconds) {
        return item(service) + ";r=" + Math.max(0, remaining) + ";t=" + Math.max(0, effectiveWindowSeconds);
    }

    /** Whole seconds until a bucket refilled at {@code ratePerSecond} holds its burst again. */
    public static long secondsUntilFull(double ratePerSecond, long burstTokens, long remaining) {
        long missing = burstTokens - remaining;
        if (missing <= 0 || !(ratePerSecond > 0)) {
            return 0;
        }
        return (long) Math.min(MAX_SF_INTEGER, Math.ceil(missing / ratePerSecond - 1e-9));
    }

    private static String item(String service) {
        return "\"" + service.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
