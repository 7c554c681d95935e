package dev.sluice.k8s.reconcile;

import dev.sluice.control.Decision;
import dev.sluice.control.run.RunCommands;
import dev.sluice.control.run.RunCommands.ActionContext;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.DomainException;
import dev.sluice.k8s.resource.RestoreActionResource;
import dev.sluice.k8s.resource.RestoreActionSpec;
import dev.sluice.k8s.resource.RestoreActionStatus;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.k8s.store.KubernetesObjects;
import dev.sluice.k8s.store.KubernetesObjects.Recorded;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * RestoreAction objects onto the run commands the REST API uses, each applied exactly once: the
 * record of the action (by the object's uid) commits in the same transaction as the action itself,
 * so a re-reconcile, a retry or a restart finds the record and only writes the status again. A
 * refused action is recorded too, with the REST API's words ("cannot promote a paused run"), and is
 * never tried again. An action on a RestoreRun whose run has not started yet waits for it.
 */
@ControllerConfiguration(name = RestoreActionReconciler.NAME)
public class RestoreActionReconciler implements Reconciler<RestoreActionResource> {
    static final String NAME = "restoreaction";
    static final String KIND = "RestoreAction";
    static final String APPLIED = "Applied";
    static final String REJECTED = "Rejected";
    static final String PENDING = "Pending";
    static final long PENDING_RECHECK_MILLIS = 2_000;

    @Inject
    RunCommands commands;

    @Inject
    KubernetesObjects objects;

    @Inject
    Actors actors;

    @Inject
    Clock clock;

    @Override
    @ActivateRequestContext
    public UpdateControl<RestoreActionResource> reconcile(
            RestoreActionResource resource, Context<RestoreActionResource> ctx) {
        String uid = resource.getMetadata().getUid();
        Optional<Recorded> recorded = objects.find(uid);
        if (recorded.isPresent()) {
            return write(resource, status(resource, recorded.get(), null));
        }
        Actors.Actor actor = actors.of(resource);
        RestoreActionSpec spec = resource.getSpec();
        Instant now = clock.instant();
        Function<ActionContext, Decision> action;
        try {
            if (spec == null || spec.runRef == null || spec.runRef.isBlank()) {
                throw DomainException.invalidField("/runRef", "required", "name the RestoreRun to act on");
            }
            action = Actions.of(spec, actor.name());
        } catch (DomainException e) {
            return write(resource, status(resource, reject(resource, null, e, actor, now), null));
        }
        String namespace = resource.getMetadata().getNamespace();
        Optional<Recorded> run = objects.findByName(RestoreRunReconciler.KIND, namespace, spec.runRef);
        if (run.isEmpty()) {
            boolean exists = ctx.getClient()
                            .resources(RestoreRunResource.class)
                            .inNamespace(namespace)
                            .withName(spec.runRef)
                            .get()
                    != null;
            if (exists) {
                RestoreActionStatus waiting = new RestoreActionStatus();
                waiting.phase = PENDING;
                waiting.message = "RestoreRun " + spec.runRef + " has not started its run yet";
                waiting.observedGeneration = resource.getMetadata().getGeneration();
                return write(resource, waiting).rescheduleAfter(PENDING_RECHECK_MILLIS);
            }
            return write(
                    resource,
                    status(
                            resource,
                            reject(
                                    resource,
                                    null,
                                    DomainException.notFound(
                                            "no RestoreRun \"" + spec.runRef + "\" in namespace " + namespace),
                                    actor,
                                    now),
                            null));
        }
        if (!KubernetesObjects.STARTED.equals(run.get().outcome())) {
            DomainException none = DomainException.notFound(
                    "RestoreRun " + spec.runRef + " has no run: " + run.get().message());
            return write(resource, status(resource, reject(resource, null, none, actor, now), null));
        }
        String runId = run.get().runId();
        Map<String, Object> origin = new LinkedHashMap<>(actor.origin());
        origin.put("action", spec.action);
        try {
            StoredRun after = QuarkusTransaction.requiringNew().call(() -> {
                objects.record(new Recorded(
                        uid,
                        KIND,
                        namespace,
                        resource.getMetadata().getName(),
                        null,
                        runId,
                        KubernetesObjects.APPLIED,
                        null,
                        actor.name(),
                        now));
                return commands.act(runId, null, actor.name(), spec.reason, origin, action);
            });
            Recorded applied = new Recorded(
                    uid,
                    KIND,
                    namespace,
                    resource.getMetadata().getName(),
                    null,
                    runId,
                    KubernetesObjects.APPLIED,
                    null,
                    actor.name(),
                    now);
            return write(resource, status(resource, applied, after));
        } catch (KubernetesObjects.AlreadyRecorded e) {
            return write(resource, status(resource, objects.find(uid).orElseThrow(), null));
        } catch (DomainException e) {
            return write(resource, status(resource, reject(resource, runId, e, actor, now), null));
        }
    }

    private Recorded reject(
            RestoreActionResource resource, String runId, DomainException e, Actors.Actor actor, Instant now) {
        Recorded r = new Recorded(
                resource.getMetadata().getUid(),
                KIND,
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                null,
                runId,
                KubernetesObjects.REJECTED,
                RestoreRunReconciler.message(e),
                actor.name(),
                now);
        try {
            QuarkusTransaction.requiringNew().run(() -> objects.record(r));
            return r;
        } catch (KubernetesObjects.AlreadyRecorded again) {
            return objects.find(r.uid()).orElseThrow();
        }
    }

    private static RestoreActionStatus status(RestoreActionResource resource, Recorded r, StoredRun after) {
        RestoreActionStatus status = new RestoreActionStatus();
        boolean applied = KubernetesObjects.APPLIED.equals(r.outcome());
        status.phase = applied ? APPLIED : REJECTED;
        status.runId = r.runId();
        status.actor = r.actor();
        status.appliedAt = r.recordedAt().toString();
        status.observedGeneration = resource.getMetadata().getGeneration();
        if (applied) {
            status.message = resource.getSpec().action + " applied"
                    + (after == null
                            ? ""
                            : ": the run is " + after.state().status().wireName() + " at stage "
                                    + after.plan()
                                            .stages()
                                            .get(after.state().stage())
                                            .name());
            status.runVersion = after == null ? null : after.version();
            if (after == null && resource.getStatus() != null && APPLIED.equals(resource.getStatus().phase)) {
                return resource.getStatus(); // already says so, in more detail
            }
        } else {
            status.message = r.message();
        }
        return status;
    }

    private static UpdateControl<RestoreActionResource> write(
            RestoreActionResource resource, RestoreActionStatus status) {
        if (resource.getStatus() != null
                && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }
}
