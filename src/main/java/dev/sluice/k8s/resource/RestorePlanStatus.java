package dev.sluice.k8s.resource;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What Sluice made of a RestorePlan: conditions {@code Valid} (every violation named, with its JSON
 * pointer into the spec and its rule) and {@code Ready} (stored, runnable), the stored plan it maps to
 * and the restoration waves.
 */
public class RestorePlanStatus {
    public Long observedGeneration;
    /** The name of the stored plan this object is (the object's name). */
    public String plan;
    /** The stored plan's version: it moves with each generation whose plan differs. */
    public Integer planVersion;

    public Integer services;
    public Integer stages;
    public List<Condition> conditions = new ArrayList<>();
    /** Every violation of an invalid spec, as the REST API lists them. */
    public List<PlanViolation> violations = new ArrayList<>();
    /** The restoration order: services in waves, each wave after the ones it depends on. */
    public List<Wave> waves = new ArrayList<>();

    /** One violation: pointer into the spec (as the REST API gives it), rule, message. */
    public static class PlanViolation {
        public String pointer;
        public String rule;
        public String message;

        public PlanViolation() {}

        public PlanViolation(String pointer, String rule, String message) {
            this.pointer = pointer;
            this.rule = rule;
            this.message = message;
        }
    }

    /** One wave of the restoration order. */
    public static class Wave {
        public int index;
        public List<String> services = new ArrayList<>();

        public Wave() {}

        public Wave(int index, List<String> services) {
            this.index = index;
            this.services = services;
        }
    }
}
