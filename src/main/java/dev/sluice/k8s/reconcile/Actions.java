package dev.sluice.k8s.reconcile;

import dev.sluice.control.ActionRequests;
import dev.sluice.control.Decision;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.run.RunCommands.ActionContext;
import dev.sluice.domain.DomainException;
import dev.sluice.k8s.resource.RestoreActionSpec;
import java.time.Duration;
import java.util.function.Function;

/**
 * A RestoreAction's spec as the operator action the REST API would apply for it, checked by the same
 * rules ({@link ActionRequests}) and refused in the same words. Pure.
 */
final class Actions {
    static final String KINDS = "pause, resume, promote, step-back, abort, set-override, clear-override";

    private Actions() {}

    /** @throws DomainException what the REST API would answer for the same request */
    static Function<ActionContext, Decision> of(RestoreActionSpec spec, String actor) {
        if (spec == null) {
            throw DomainException.invalidField("", "required", "send spec {runRef, action, reason}");
        }
        if (spec.action == null || spec.action.isBlank()) {
            throw DomainException.invalidField("/action", "required", "name the action: one of " + KINDS);
        }
        ActionRequests.checkReason(spec.reason);
        String reason = spec.reason;
        return switch (spec.action) {
            case "pause" -> c -> OperatorAction.pause(c.state(), reason);
            case "resume" -> c -> OperatorAction.resume(c.plan(), c.state(), reason, c.now());
            case "promote" -> c -> OperatorAction.promote(c.plan(), c.state(), reason);
            case "step-back" -> c -> OperatorAction.stepBack(c.plan(), c.state(), reason, c.now());
            case "abort" -> c -> OperatorAction.abort(c.plan(), c.state(), reason);
            case "set-override" -> {
                requireServiceField(spec);
                ActionRequests.checkOverride(spec.ratePerSecond, spec.durationSeconds);
                yield c -> {
                    requireService(c, spec.service);
                    return OperatorAction.override(
                            c.plan(),
                            c.state(),
                            spec.service,
                            spec.ratePerSecond,
                            c.now().plus(Duration.ofSeconds(spec.durationSeconds)),
                            actor,
                            reason);
                };
            }
            case "clear-override" -> {
                requireServiceField(spec);
                yield c -> {
                    requireService(c, spec.service);
                    return OperatorAction.clearOverride(c.plan(), c.state(), spec.service, reason);
                };
            }
            default ->
                throw DomainException.invalidField(
                        "/action", "one-of", "unknown action \"" + spec.action + "\": one of " + KINDS);
        };
    }

    private static void requireServiceField(RestoreActionSpec spec) {
        if (spec.service == null || spec.service.isBlank()) {
            throw DomainException.invalidField("/service", "required", spec.action + " needs the service it pins");
        }
    }

    /** The REST API's refusal for a service the run's plan does not have. */
    private static void requireService(ActionContext c, String service) {
        if (!c.plan().hasService(service)) {
            throw DomainException.notFound("the run's plan has no service \"" + service + "\"");
        }
    }
}
