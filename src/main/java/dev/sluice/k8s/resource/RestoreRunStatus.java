package dev.sluice.k8s.resource;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The run a RestoreRun started, as it stands: phase, stage and budget, every service's status and
 * allocation, every gate with its latest reading, and conditions {@code Progressing}, {@code Paused}
 * (with the pause reason), {@code GateBlocked} (naming the gate and its value) and {@code Completed}.
 */
public class RestoreRunStatus {
    /** {@code Pending} (waiting for its plan), Running, Paused, Completed, Aborted, Failed. */
    public String phase;

    /** The run, as the REST API names it ({@code /api/v1/runs/{runId}}). */
    public String runId;

    public Integer planVersion;
    public Long observedGeneration;
    /** Why the run could not start (phase Failed) or waits (Pending). */
    public String message;

    public String stage;
    public Integer stageIndex;
    public Integer stages;
    public Double budgetPerSecond;
    public Double allocatedPerSecond;
    public String pauseReason;
    public String startedBy;
    /** The version of the run this status shows (the REST API's ETag). */
    public Integer runVersion;

    public String updatedAt;
    public List<ServiceStatus> services = new ArrayList<>();
    public List<GateStatus> gates = new ArrayList<>();
    public List<Condition> conditions = new ArrayList<>();

    /** One service of the run. */
    public static class ServiceStatus {
        public String name;
        public String status;
        public double allocationPerSecond;
        public double demandPerSecond;
        /** What its clients asked for lately, above the demand a backlog (null: no report). */
        public Double wantedPerSecond;
        /** A pinned rate, while one is set. */
        public Double overridePerSecond;

        public String overrideExpiresAt;
    }

    /** One gate of the plan and its latest reading. */
    public static class GateStatus {
        public String name;
        public String kind;
        /** passed, settling, tripped, unknown; approved or awaiting-approval for manual gates. */
        public String state;

        public Double value;
        public Double threshold;
        public String detail;
        public int greenStreak;
        public int redStreak;
        public String beforeStage;
    }
}
