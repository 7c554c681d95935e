package dev.sluice.k8s.operator;

import dev.sluice.control.run.LoopLeadership;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Which replica leads in operator mode: the holder of a Kubernetes Lease (JOSDK's leader election,
 * on fabric8's {@code LeaderElector}). Only the holder reconciles and, through {@link LoopLeadership},
 * runs the control loop; every replica keeps serving admission and the webhook. When the holder
 * loses the Lease, it ends its process (exit code 1) so that it can never keep acting on a stale
 * belief that it leads; Kubernetes restarts it, and it competes again. Thread-safe.
 */
@ApplicationScoped
public class OperatorLeadership implements LoopLeadership, ConfigurationServiceCustomizer {
    private static final Logger LOG = Logger.getLogger(OperatorLeadership.class);

    @Inject
    OperatorSettings settings;

    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * From start-up on, not only once the operator has started: a replica that has not yet heard
     * from the Lease must not take the database lock and tick while another replica holds the Lease.
     */
    @Override
    public boolean decides() {
        return settings.enabled();
    }

    @Override
    public boolean mayLead() {
        return !settings.leaderElection() || leading.get();
    }

    /** Whether this replica reconciles now. */
    public boolean leads() {
        return settings.enabled() && started.get() && mayLead();
    }

    void operatorStarted() {
        started.set(true);
    }

    @Override
    public Consumer<io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider> overrider() {
        return o -> {
            if (settings.enabled() && settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection());
            }
        };
    }

    /**
     * A replica that lost the Lease must not act on: it ends, with exit code 1, through Quarkus's
     * own shutdown. Not through JOSDK's exit: its builder turns that off in 5.3.2 (the replica then
     * logged "configured not to exit" and never competed again), and where it is on, JOSDK calls
     * {@code System.exit} on its leader-election thread, whose shutdown stops the Operator, which
     * waits for that very thread (seen in OperatorReplicasIT: the process hung at "Operator SDK is
     * shutting down").
     */
    LeaderElectionConfiguration leaderElection() {
        checkLeaseTimings(settings);
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    leading.set(true);
                    LOG.infof(
                            "this replica holds Lease %s: it reconciles and runs the control loop",
                            settings.leaseName());
                },
                () -> {
                    leading.set(false);
                    LOG.warnf(
                            "this replica lost Lease %s: it stops reconciling and ends (exit code 1)",
                            settings.leaseName());
                    Quarkus.asyncExit(1);
                },
                leader -> LOG.infof("Lease %s is held by %s", settings.leaseName(), leader));
        LeaderElectionConfigurationBuilder b = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                        settings.leaseName())
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.leaseRenewDeadline())
                .withRetryPeriod(settings.leaseRetryPeriod())
                .withLeaderCallbacks(callbacks);
        settings.leaseNamespace().ifPresent(b::withLeaseNamespace);
        return b.build(); // the identity: JOSDK takes HOSTNAME, the pod's name
    }

    /**
     * The Lease's timings only work in this order: a leader retries its renewal before its deadline,
     * and gives up leading before its Lease expires and others may take it.
     */
    static void checkLeaseTimings(OperatorSettings s) {
        if (s.leaseRenewDeadline().compareTo(s.leaseDuration()) >= 0) {
            throw new IllegalStateException("sluice.operator.lease-renew-deadline (" + s.leaseRenewDeadline()
                    + ") must be shorter than sluice.operator.lease-duration (" + s.leaseDuration() + ")");
        }
        if (s.leaseRetryPeriod().compareTo(s.leaseRenewDeadline()) >= 0) {
            throw new IllegalStateException("sluice.operator.lease-retry-period (" + s.leaseRetryPeriod()
                    + ") must be shorter than sluice.operator.lease-renew-deadline (" + s.leaseRenewDeadline() + ")");
        }
    }
}
