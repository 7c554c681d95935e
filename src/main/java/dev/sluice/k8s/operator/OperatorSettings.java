package dev.sluice.k8s.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** Operator mode's settings ({@code sluice.operator.*}); a value out of range stops start-up. */
@ConfigMapping(prefix = "sluice.operator")
public interface OperatorSettings {
    /**
     * {@code sluice.operator.enabled} ({@code SLUICE_OPERATOR_ENABLED}), default {@code false}:
     * reconcile RestorePlan, RestoreRun and RestoreAction objects. Off, Sluice never contacts a
     * Kubernetes API server. On, start-up fails with a clear message when it cannot reach one.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * {@code sluice.operator.namespaces} ({@code SLUICE_OPERATOR_NAMESPACES}), default every
     * namespace: the namespaces whose objects are reconciled, comma-separated ({@code
     * JOSDK_WATCH_CURRENT} for the replica's own). Passed to the Operator SDK as {@code
     * quarkus.operator-sdk.namespaces}.
     */
    Optional<java.util.List<String>> namespaces();

    /**
     * {@code sluice.operator.leader-election}, default {@code true}: with several replicas, only the
     * holder of a Kubernetes Lease reconciles and runs the control loop. Off, every replica in
     * operator mode reconciles (only for a single replica).
     */
    @WithDefault("true")
    boolean leaderElection();

    /** {@code sluice.operator.lease-name}, default {@code sluice-operator}: the Lease replicas compete for. */
    @WithDefault("sluice-operator")
    String leaseName();

    /** {@code sluice.operator.lease-namespace}: where the Lease lives; default the replica's own namespace. */
    Optional<String> leaseNamespace();

    /**
     * {@code sluice.operator.lease-duration}, default {@code 15s} (JOSDK's), 2 s to 10 min: how long a
     * Lease that is not renewed keeps other replicas out, so the longest a dead leader's runs go
     * without ticks (they keep their last committed rates meanwhile).
     */
    @WithDefault("15s")
    @DurationMin(seconds = 2)
    @DurationMax(seconds = 600)
    Duration leaseDuration();

    /**
     * {@code sluice.operator.lease-renew-deadline}, default {@code 10s}, 1 s to 10 min and shorter
     * than the lease duration: a leader that has not renewed its Lease for this long stops leading,
     * and JOSDK ends its process.
     */
    @WithDefault("10s")
    @DurationMin(seconds = 1)
    @DurationMax(seconds = 600)
    Duration leaseRenewDeadline();

    /**
     * {@code sluice.operator.lease-retry-period}, default {@code 2s}, 100 ms to 1 min and shorter than
     * the renew deadline: how often the leader renews and the others try to take the Lease.
     */
    @WithDefault("2s")
    @DurationMin(millis = 100)
    @DurationMax(seconds = 60)
    Duration leaseRetryPeriod();

    /**
     * {@code sluice.operator.webhook-enabled}, default {@code false}: serve the mutating admission
     * webhook that stamps who created RestoreRuns and RestoreActions. Turn it on only together with
     * its MutatingWebhookConfiguration (deploy/k8s/webhook): installed with {@code failurePolicy: Fail},
     * every create goes through it, so no stamp can be written by hand.
     */
    @WithDefault("false")
    boolean webhookEnabled();

    /**
     * {@code sluice.operator.status-poll-period}, default {@code 250ms}, 50 ms to 10 s: how often the
     * leader looks for runs that changed, to bring their RestoreRuns' status up to date.
     */
    @WithDefault("250ms")
    @DurationMin(millis = 50)
    @DurationMax(seconds = 10)
    Duration statusPollPeriod();

    /**
     * {@code sluice.operator.status-min-interval}, default {@code 1s}, 100 ms to 10 min: a RestoreRun's
     * status is written for a run change at most this often (a run ticking every second changes every
     * second).
     */
    @WithDefault("1s")
    @DurationMin(millis = 100)
    @DurationMax(seconds = 600)
    Duration statusMinInterval();

    /**
     * {@code sluice.operator.status-writes-per-second}, default {@code 50}, 1 to 1,000: RestoreRun
     * status writes for run changes, all runs together. With 1,000 active runs, each RestoreRun is
     * then written every 20 s; changes held back are written later, newest state first-come.
     */
    @WithDefault("50")
    @Min(1)
    @Max(1000)
    int statusWritesPerSecond();
}
