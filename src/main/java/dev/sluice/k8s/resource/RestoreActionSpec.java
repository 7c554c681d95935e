package dev.sluice.k8s.resource;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What to do to which RestoreRun, and why; immutable (an action is applied once). */
@ValidationRule(value = "self == oldSelf", message = "a RestoreAction is applied once: create another one")
@ValidationRule(
        value = "self.action in ['pause', 'resume', 'promote', 'step-back', 'abort', 'set-override', 'clear-override']",
        message = "action must be one of pause, resume, promote, step-back, abort, set-override, clear-override")
@ValidationRule(
        value =
                "self.action != 'set-override' || (has(self.service) && has(self.ratePerSecond) && has(self.durationSeconds))",
        message = "set-override needs service, ratePerSecond and durationSeconds")
@ValidationRule(
        value = "self.action != 'clear-override' || has(self.service)",
        message = "clear-override needs service")
public class RestoreActionSpec {
    /** The RestoreRun to act on, in the same namespace. */
    @Required
    public String runRef;

    /** pause, resume, promote, step-back, abort, set-override or clear-override. */
    @Required
    public String action;

    /** For set-override and clear-override: the service. */
    public String service;

    /** For set-override: the rate to pin, requests/s (0 or more). */
    public Double ratePerSecond;

    /** For set-override: how long the pin lasts, 1 to 86,400 s (every override expires). */
    public Long durationSeconds;

    /** Why: recorded with every transition the action causes. */
    @Required
    public String reason;
}
