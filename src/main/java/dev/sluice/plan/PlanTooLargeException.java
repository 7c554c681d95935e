package dev.sluice.plan;

/** A plan document is larger than {@link PlanLimits#MAX_BODY_BYTES}. */
public class PlanTooLargeException extends RuntimeException {
    public PlanTooLargeException(int limitBytes) {
        super("a plan document may be at most " + limitBytes + " bytes");
    }
}
