package dev.sluice.plan;

import java.util.List;

/**
 * A restore plan: the tier, its dependent services (a DAG), the stages of the ramp, the gates that
 * guard each advance and the failure policy. Instances are plain data; {@link PlanDefaults} fills
 * optional fields and {@link PlanValidator} says whether a plan can run.
 */
public record RestorePlan(
        String name,
        String description,
        Tier tier,
        List<Service> services,
        List<Stage> stages,
        List<Gate> gates,
        FailurePolicy policy,
        AdmissionPolicy admission,
        RampPolicy ramp) {

    /** A plan with the default ramp policy. */
    public RestorePlan(
            String name,
            String description,
            Tier tier,
            List<Service> services,
            List<Stage> stages,
            List<Gate> gates,
            FailurePolicy policy,
            AdmissionPolicy admission) {
        this(name, description, tier, services, stages, gates, policy, admission, null);
    }

    /** A plan with the default admission policy. */
    public RestorePlan(
            String name,
            String description,
            Tier tier,
            List<Service> services,
            List<Stage> stages,
            List<Gate> gates,
            FailurePolicy policy) {
        this(name, description, tier, services, stages, gates, policy, null, null);
    }
}
