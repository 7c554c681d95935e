package dev.sluice.k8s.resource;

/** Whether the action was applied, and if not why not, in the REST API's words. */
public class RestoreActionStatus {
    /** {@code Pending} (its run has not started yet), {@code Applied} or {@code Rejected}. */
    public String phase;

    public String message;
    /** The run acted on. */
    public String runId;
    /** The run's version right after the action (the REST API's ETag). */
    public Integer runVersion;

    public String actor;
    public String appliedAt;
    public Long observedGeneration;
}
