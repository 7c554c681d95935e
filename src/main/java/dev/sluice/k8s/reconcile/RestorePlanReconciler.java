package dev.sluice.k8s.reconcile;

import dev.sluice.domain.DomainException;
import dev.sluice.k8s.PlanSpecs;
import dev.sluice.k8s.resource.RestorePlanResource;
import dev.sluice.k8s.resource.RestorePlanStatus;
import dev.sluice.k8s.store.KubernetesObjects;
import dev.sluice.k8s.store.KubernetesObjects.Recorded;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.RestorationOrder;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.store.ActiveRunLookup;
import dev.sluice.plan.store.PlanStore;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * RestorePlan objects onto the plan store the REST API uses. A valid spec becomes the stored plan
 * named after the object (created, or updated when a new generation changes it: versions follow
 * generations that change the plan); an invalid one gets {@code Valid=False} naming every violation
 * and is not looked at again until its generation changes (status writes do not trigger
 * reconciles). A stored plan belongs to one object: a plan of that name made over REST, or by an
 * object in another namespace, is not taken over ({@code Ready=False}, {@code NameTaken}). Deleting
 * the object deletes the stored plan, held by the finalizer while a run of it is active.
 */
@ControllerConfiguration(name = RestorePlanReconciler.NAME)
public class RestorePlanReconciler implements Reconciler<RestorePlanResource>, Cleaner<RestorePlanResource> {
    static final String NAME = "restoreplan";
    static final String KIND = "RestorePlan";
    private static final Logger LOG = Logger.getLogger(RestorePlanReconciler.class);
    /** How often a deletion held by an active run looks again. */
    static final long HELD_RECHECK_MILLIS = 5_000;

    @Inject
    PlanStore plans;

    @Inject
    KubernetesObjects objects;

    @Inject
    Instance<ActiveRunLookup> activeRuns;

    @Inject
    Actors actors;

    @Inject
    Clock clock;

    @Override
    @ActivateRequestContext
    public UpdateControl<RestorePlanResource> reconcile(
            RestorePlanResource resource, Context<RestorePlanResource> ctx) {
        String name = resource.getMetadata().getName();
        Long generation = resource.getMetadata().getGeneration();
        RestorePlanStatus previous = resource.getStatus();
        RestorePlanStatus status = new RestorePlanStatus();
        status.observedGeneration = generation;
        status.plan = name;
        Conditions conditions =
                new Conditions(previous == null ? null : previous.conditions, generation, clock.instant());
        PlanCompiler.Result result = PlanSpecs.compile(name, resource.getSpec());
        if (result instanceof PlanCompiler.Invalid invalid) {
            status.violations = invalid.violations().stream()
                    .map(v -> new RestorePlanStatus.PlanViolation(v.pointer(), v.rule(), v.message()))
                    .toList();
            status.conditions = conditions
                    .set("Valid", false, "Invalid", PlanSpecs.message(invalid.violations()))
                    .set("Ready", false, "Invalid", "the spec is not a valid plan; fix it and apply it again")
                    .list();
            if (previous != null && previous.planVersion != null) {
                status.planVersion = previous.planVersion; // the stored plan stays as it was
            }
            return write(resource, status);
        }
        CompiledPlan plan = ((PlanCompiler.Compiled) result).plan();
        RestorePlan document = plan.document();
        status.services = document.services().size();
        status.stages = document.stages().size();
        status.waves = RestorationOrder.of(document).waves().stream()
                .map(w -> new RestorePlanStatus.Wave(
                        w.index(),
                        w.services().stream().map(RestorationOrder.Entry::name).toList()))
                .toList();
        conditions.set(
                "Valid",
                true,
                "Valid",
                "the plan is valid: " + status.services + " services in " + status.waves.size() + " waves, "
                        + status.stages + " stages");
        Optional<String> taken = takenBy(resource, name);
        if (taken.isPresent()) {
            status.conditions =
                    conditions.set("Ready", false, "NameTaken", taken.get()).list();
            return write(resource, status);
        }
        StoredPlan stored = store(resource, document);
        status.planVersion = stored.version();
        status.conditions = conditions
                .set("Ready", true, "Stored", "stored as plan " + name + " version " + stored.version())
                .list();
        return write(resource, status);
    }

    /** Why the stored plan of this name is not this object's to write, if it is not. */
    private Optional<String> takenBy(RestorePlanResource resource, String name) {
        Optional<Recorded> owner = objects.planOwner(name);
        if (owner.isPresent()) {
            Recorded o = owner.get();
            if (o.uid().equals(resource.getMetadata().getUid())) {
                return Optional.empty();
            }
            return Optional.of("plan " + name + " belongs to RestorePlan " + o.namespace() + "/" + o.name()
                    + "; stored plans are named after their objects, so rename this one");
        }
        if (plans.find(name).isPresent()) {
            return Optional.of("a plan named " + name + " was created over the REST API; delete it there or"
                    + " rename this RestorePlan (Sluice does not take over a plan it did not create from this object)");
        }
        return Optional.empty();
    }

    /** Creates or updates the stored plan (only when the plan changed), with the object's binding. */
    private StoredPlan store(RestorePlanResource resource, RestorePlan document) {
        String name = document.name();
        Actors.Actor by = actors.of(resource);
        String actor = by.name();
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<StoredPlan> current = plans.find(name);
            if (objects.find(resource.getMetadata().getUid()).isEmpty()) {
                objects.record(new Recorded(
                        resource.getMetadata().getUid(),
                        KIND,
                        resource.getMetadata().getNamespace(),
                        name,
                        name,
                        null,
                        KubernetesObjects.BOUND,
                        null,
                        actor,
                        clock.instant()));
            }
            if (current.isEmpty()) {
                return plans.create(document, actor, by.origin());
            }
            if (PlanCodec.toJson(current.get().spec()).equals(PlanCodec.toJson(document))) {
                return current.get();
            }
            return plans.update(name, current.get().version(), document, actor, by.origin());
        });
    }

    private static UpdateControl<RestorePlanResource> write(RestorePlanResource resource, RestorePlanStatus status) {
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }

    @Override
    @ActivateRequestContext
    public DeleteControl cleanup(RestorePlanResource resource, Context<RestorePlanResource> ctx) {
        String name = resource.getMetadata().getName();
        Optional<Recorded> owner = objects.planOwner(name);
        if (owner.isEmpty() || !owner.get().uid().equals(resource.getMetadata().getUid())) {
            return DeleteControl.defaultDelete(); // never stored (invalid, or the name was taken)
        }
        for (ActiveRunLookup lookup : activeRuns) {
            Optional<String> run = lookup.activeRunOf(name);
            if (run.isPresent()) {
                holdDeletion(resource, ctx, run.get());
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(HELD_RECHECK_MILLIS);
            }
        }
        try {
            Actors.Actor by = actors.of(resource);
            plans.delete(name, null, by.name(), by.origin());
        } catch (DomainException e) {
            if (e.fault() != DomainException.Fault.NOT_FOUND) {
                throw e; // a run became active meanwhile: JOSDK retries
            }
        }
        objects.forget(resource.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    private void holdDeletion(RestorePlanResource resource, Context<RestorePlanResource> ctx, String runId) {
        RestorePlanStatus status = resource.getStatus() == null ? new RestorePlanStatus() : resource.getStatus();
        String message = "deletion held: run " + runId + " of this plan is active; abort or finish it (delete its"
                + " RestoreRun, or a RestoreAction abort) and the plan is deleted";
        boolean alreadySaid =
                status.conditions.stream().anyMatch(c -> c.getType().equals("Ready") && message.equals(c.getMessage()));
        if (alreadySaid) {
            return;
        }
        Instant now = clock.instant();
        Conditions conditions =
                new Conditions(status.conditions, resource.getMetadata().getGeneration(), now);
        status.conditions.stream()
                .filter(c -> !c.getType().equals("Ready"))
                .forEach(c -> conditions.set(c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
        status.conditions =
                conditions.set("Ready", false, "DeletionHeld", message).list();
        try {
            ctx.getClient()
                    .resources(RestorePlanResource.class)
                    .inNamespace(resource.getMetadata().getNamespace())
                    .withName(resource.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(status);
                        return current;
                    });
        } catch (RuntimeException e) {
            LOG.debugf("could not say why deletion of %s is held: %s", name(resource), e.getMessage());
        }
    }

    static String name(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/"
                + resource.getMetadata().getName();
    }
}
