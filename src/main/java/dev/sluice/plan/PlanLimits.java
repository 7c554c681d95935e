package dev.sluice.plan;

/** Hard limits on the size and ranges of a plan. Documented in the README; change both together. */
public final class PlanLimits {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    public static final int MAX_SERVICES = 1_000;
    public static final int MAX_STAGES = 20;
    public static final int MAX_GATES = 50;
    public static final int MAX_HEALTH_SOURCES = 10;
    public static final int MAX_DESCRIPTION_CHARS = 2000;
    public static final int MAX_URL_CHARS = 2000;
    public static final int MAX_QUERY_CHARS = 4000;

    public static final long MAX_HOLD_SECONDS = 86_400;
    public static final long MAX_STAGE_SECONDS = 7 * 86_400;
    public static final long MAX_WINDOW_SECONDS = 3_600;
    public static final long MIN_TICK_MILLIS = 100;
    public static final long MAX_TICK_MILLIS = 60_000;
    public static final long MAX_TIMEOUT_MILLIS = 60_000;
    public static final long MAX_UNKNOWN_HEALTH_SECONDS = 86_400;
    public static final long MAX_RETRY_AFTER_SECONDS = 3_600;
    public static final double MAX_BURST_SECONDS = 60;
    public static final int MAX_CONSECUTIVE_SAMPLES = 1_000;
    public static final int MAX_STEP_BACKS = 100;
    /** The most of its capacity a plan may leave unused at its last stage. */
    public static final double MAX_HEADROOM = 0.5;

    public static final long MAX_LEASE_SECONDS = 300;
    /** The longest an "unrestricted" answer may hold: a new run reaches clients that stopped asking within it. */
    public static final long MAX_UNRESTRICTED_SECONDS = 3_600;
    /** The token buckets refill at most one token per nanosecond. */
    public static final double MAX_CAPACITY_PER_SECOND = 1e9;

    private PlanLimits() {}
}
