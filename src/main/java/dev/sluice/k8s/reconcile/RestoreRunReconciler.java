package dev.sluice.k8s.reconcile;

import dev.sluice.api.ProblemTypes;
import dev.sluice.control.ActionRequests;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.ServiceWants;
import dev.sluice.control.run.RunCommands;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.k8s.resource.RestoreRunSpec;
import dev.sluice.k8s.resource.RestoreRunStatus;
import dev.sluice.k8s.store.KubernetesObjects;
import dev.sluice.k8s.store.KubernetesObjects.Recorded;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * RestoreRun objects onto the run commands the REST API uses. Creating one starts a run of its
 * plan, exactly once (the object's uid is the start's idempotency key, and the started run is
 * recorded against the uid); its status then follows the run, however the run changes (ticks, REST
 * actions, RestoreActions: see {@link RunChanges}). A run that cannot start for a reason that will
 * not go away (another run of the plan is active, no such stage, no reason) is {@code Failed} for
 * good: the spec is immutable, and a run that starts by surprise later is worse than none. One
 * whose plan is not stored yet waits ({@code Pending}). Deleting the object aborts its run —
 * admission frozen at the plan's floor, as abort does — records that, and then releases it.
 */
@ControllerConfiguration(name = RestoreRunReconciler.NAME)
public class RestoreRunReconciler implements Reconciler<RestoreRunResource>, Cleaner<RestoreRunResource> {
    static final String NAME = "restorerun";
    static final String KIND = "RestoreRun";
    static final String PENDING = "Pending";
    static final String FAILED = "Failed";
    /** How often a run waiting for its plan looks again. */
    static final long PENDING_RECHECK_MILLIS = 5_000;
    /** The idempotency key of the start of the run for an object: {@code k8s:<uid>}. */
    static final String KEY_PREFIX = "k8s:";

    private static final Logger LOG = Logger.getLogger(RestoreRunReconciler.class);

    @Inject
    RunCommands commands;

    @Inject
    RunStore runs;

    @Inject
    ServiceWants wants;

    @Inject
    KubernetesObjects objects;

    @Inject
    Actors actors;

    @Inject
    RunChanges changes;

    @Inject
    Clock clock;

    @Override
    public List<EventSource<?, RestoreRunResource>> prepareEventSources(EventSourceContext<RestoreRunResource> ctx) {
        return List.of(changes);
    }

    @Override
    @ActivateRequestContext
    public UpdateControl<RestoreRunResource> reconcile(RestoreRunResource resource, Context<RestoreRunResource> ctx) {
        String uid = resource.getMetadata().getUid();
        Optional<Recorded> recorded = objects.find(uid);
        if (recorded.isEmpty()) {
            Start start = start(resource);
            if (start.pending() != null) {
                UpdateControl<RestoreRunResource> wait =
                        write(resource, simple(resource, PENDING, start.pending(), null));
                return wait.rescheduleAfter(PENDING_RECHECK_MILLIS);
            }
            recorded = Optional.of(start.recorded());
        }
        Recorded r = recorded.get();
        if (!KubernetesObjects.STARTED.equals(r.outcome())) {
            return write(resource, simple(resource, FAILED, r.message(), r.runId()));
        }
        Optional<StoredRun> run = runs.find(r.runId());
        if (run.isEmpty()) {
            return write(resource, simple(resource, FAILED, "run " + r.runId() + " no longer exists", r.runId()));
        }
        RestoreRunStatus previous = resource.getStatus();
        RestoreRunStatus status = RunStatuses.of(
                run.get(),
                run.get().state().status().isActive() ? wants.wantedPerSecond(r.runId()) : Map.of(),
                previous == null ? null : previous.conditions,
                resource.getMetadata().getGeneration(),
                clock.instant());
        changes.written(uid, run.get().version());
        return write(resource, status);
    }

    /** What starting came to: a record (started, or failed for good), or why it waits. */
    private record Start(Recorded recorded, String pending) {}

    private Start start(RestoreRunResource resource) {
        String uid = resource.getMetadata().getUid();
        String namespace = resource.getMetadata().getNamespace();
        RestoreRunSpec spec = resource.getSpec();
        Actors.Actor actor = actors.of(resource);
        Instant now = clock.instant();
        try {
            if (spec == null || spec.planRef == null || spec.planRef.isBlank()) {
                throw DomainException.invalidField("/planRef", "required", "name the plan to run");
            }
            ActionRequests.checkReason(spec.reason);
        } catch (DomainException e) {
            return new Start(record(resource, null, null, KubernetesObjects.FAILED, message(e), actor, now), null);
        }
        Optional<Recorded> plan = objects.planOwner(spec.planRef);
        if (plan.isEmpty() || !plan.get().namespace().equals(namespace)) {
            return new Start(
                    null,
                    "waiting for RestorePlan " + spec.planRef + " in namespace " + namespace
                            + " to be valid and stored (see its Ready condition)");
        }
        try {
            Map<String, Object> origin = new LinkedHashMap<>(actor.origin());
            RunCommands.Started started =
                    commands.start(spec.planRef, actor.name(), spec.reason, KEY_PREFIX + uid, spec.startStage, origin);
            LOG.infof(
                    "RestoreRun %s/%s %s run %s of plan %s",
                    namespace,
                    resource.getMetadata().getName(),
                    started.created() ? "started" : "found its",
                    started.run().id(),
                    spec.planRef);
            return new Start(
                    record(resource, spec.planRef, started.run().id(), KubernetesObjects.STARTED, null, actor, now),
                    null);
        } catch (DomainException e) {
            if (e.fault() == Fault.NOT_FOUND) {
                return new Start(null, "waiting for plan " + spec.planRef + ": " + e.getMessage());
            }
            return new Start(
                    record(resource, spec.planRef, null, KubernetesObjects.FAILED, message(e), actor, now), null);
        }
    }

    private Recorded record(
            RestoreRunResource resource,
            String planName,
            String runId,
            String outcome,
            String message,
            Actors.Actor actor,
            Instant now) {
        Recorded r = new Recorded(
                resource.getMetadata().getUid(),
                KIND,
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                planName,
                runId,
                outcome,
                message,
                actor.name(),
                now);
        try {
            QuarkusTransaction.requiringNew().run(() -> objects.record(r));
            return r;
        } catch (KubernetesObjects.AlreadyRecorded e) {
            return objects.find(r.uid()).orElseThrow();
        }
    }

    /** The words the REST API answers a refusal with (its problem's detail). */
    static String message(DomainException e) {
        return ProblemTypes.problemOf(e).detail();
    }

    private static RestoreRunStatus simple(RestoreRunResource resource, String phase, String message, String runId) {
        RestoreRunStatus status = new RestoreRunStatus();
        status.phase = phase;
        status.message = message;
        status.runId = runId;
        status.observedGeneration = resource.getMetadata().getGeneration();
        return status;
    }

    private static UpdateControl<RestoreRunResource> write(RestoreRunResource resource, RestoreRunStatus status) {
        if (resource.getStatus() != null
                && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }

    @Override
    @ActivateRequestContext
    public DeleteControl cleanup(RestoreRunResource resource, Context<RestoreRunResource> ctx) {
        String uid = resource.getMetadata().getUid();
        Optional<Recorded> recorded = objects.find(uid);
        if (recorded.isPresent()
                && KubernetesObjects.STARTED.equals(recorded.get().outcome())) {
            String runId = recorded.get().runId();
            Optional<StoredRun> run = runs.find(runId);
            if (run.isPresent() && run.get().state().status().isActive()) {
                Map<String, Object> origin = Actors.objectOrigin(resource);
                origin.put("event", "deleted");
                origin.put("actorVerified", false);
                String reason = "RestoreRun " + resource.getMetadata().getNamespace() + "/"
                        + resource.getMetadata().getName() + " was deleted: admission frozen at the plan's floor";
                try {
                    commands.act(
                            runId,
                            null,
                            DELETION_ACTOR,
                            reason,
                            origin,
                            c -> OperatorAction.abort(c.plan(), c.state(), reason));
                } catch (DomainException e) {
                    if (e.fault() != Fault.ILLEGAL_TRANSITION && e.fault() != Fault.NOT_FOUND) {
                        throw e; // JOSDK retries; the finalizer holds the object until the abort is recorded
                    }
                }
            }
        }
        if (recorded.isPresent()) {
            objects.setOutcome(uid, KubernetesObjects.DELETED, "the RestoreRun was deleted");
        }
        changes.forget(uid);
        return DeleteControl.defaultDelete();
    }

    /**
     * Who aborts a run whose RestoreRun is deleted, in the audit log. The webhook does not see
     * deletions, so the deleter is not known; the object is recorded with the event.
     */
    static final String DELETION_ACTOR = "unverified:kubernetes-deletion";
}
