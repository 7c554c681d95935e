package dev.sluice.plan;

/**
 * How the ramp paces itself and searches for the tier's real ceiling. Every field is optional;
 * {@link PlanDefaults} fills each with its documented default.
 *
 * @param minHoldSeconds the shortest hold of a stage whose gates show a clear margin (never longer
 *     than the stage's own hold, never shorter than its gates' longest window)
 * @param marginRatio a clear margin: every active gate's value is below this share of its
 *     threshold; 0 turns shortened holds off
 * @param serviceUpSeconds a service is up, and its dependents may start, once it has had its full
 *     demand and stayed healthy this long
 * @param reprobeAfterSeconds after a budget trips, how long before the ramp tries it again; doubles
 *     with each trip at the same ceiling
 * @param ceilingResolution the search between the budget that held and the one that tripped stops
 *     once they are this share of the tripped budget apart
 * @param trickleShare of the tier's capacity: all that is admitted while health at the first stage
 *     is red (a probe, so recovery can be seen)
 * @param regressionWindowSeconds step-backs from a budget that had held count towards
 *     {@code policy.stepBacksBeforePause} only within this window
 * @param headroom share of capacity the last stage may leave unused (a tier that thrashes under a
 *     queue restores better below 100%); the last stage must admit at least {@code 1 - headroom}
 */
public record RampPolicy(
        Long minHoldSeconds,
        Double marginRatio,
        Long serviceUpSeconds,
        Long reprobeAfterSeconds,
        Double ceilingResolution,
        Double trickleShare,
        Long regressionWindowSeconds,
        Double headroom) {}
