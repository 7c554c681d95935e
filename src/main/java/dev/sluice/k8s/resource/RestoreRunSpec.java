package dev.sluice.k8s.resource;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Which plan to run and why; immutable once created (a new run is a new object). */
@ValidationRule(value = "self == oldSelf", message = "a RestoreRun's spec is immutable: create another RestoreRun")
public class RestoreRunSpec {
    /** The RestorePlan to run, in the same namespace. */
    @Required
    public String planRef;

    /** Why the run starts: recorded in the audit log, as every REST action's reason is. */
    @Required
    public String reason;

    /** The stage to start at (its name); the plan's first stage when absent. */
    public String startStage;
}
