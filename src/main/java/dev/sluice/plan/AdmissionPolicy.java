package dev.sluice.plan;

/**
 * How admission is enforced for a plan's runs, and what the plan's per-plan address answers
 * outside a run.
 *
 * @param leaseSeconds how long a rate lease lasts; clients refresh after half of it
 * @param whenNoRun what the per-plan address answers while the plan has no run in force
 * @param unrestrictedSeconds how long an "unrestricted" answer of the per-plan address holds (no run
 *     and {@code whenNoRun: open}, or the latest run completed): clients stop asking for this long
 */
public record AdmissionPolicy(AdmissionMode mode, Long leaseSeconds, WhenNoRun whenNoRun, Long unrestrictedSeconds) {
    /** A policy that leaves the per-plan address at its defaults. */
    public AdmissionPolicy(AdmissionMode mode, Long leaseSeconds) {
        this(mode, leaseSeconds, null, null);
    }
}
