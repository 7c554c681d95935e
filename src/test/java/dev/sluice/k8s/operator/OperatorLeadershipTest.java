package dev.sluice.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ConfigMappings;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorLeadershipTest {
    @Test
    void theReplicaCompetesForTheConfiguredLeaseWithTheConfiguredTimings() {
        OperatorLeadership leadership = new OperatorLeadership();
        leadership.settings = ConfigMappings.load(
                OperatorSettings.class,
                Map.of(
                        "sluice.operator.enabled", "true",
                        "sluice.operator.lease-namespace", "sluice",
                        "sluice.operator.lease-duration", "6s",
                        "sluice.operator.lease-renew-deadline", "4s",
                        "sluice.operator.lease-retry-period", "1s"));
        LeaderElectionConfiguration lease = leadership.leaderElection();
        assertThat(lease.isExitOnStopLeading())
                .as("it ends through Quarkus's shutdown, not JOSDK's System.exit (OperatorReplicasIT)")
                .isFalse();
        assertThat(lease.getLeaseName()).isEqualTo("sluice-operator");
        assertThat(lease.getLeaseNamespace()).contains("sluice");
        assertThat(lease.getIdentity()).as("JOSDK takes HOSTNAME").isEmpty();
        assertThat(lease.getLeaseDuration()).isEqualTo(Duration.ofSeconds(6));
        assertThat(lease.getRenewDeadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(lease.getRetryPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(lease.getLeaderCallbacks()).isPresent();
    }

    @Test
    void untilTheLeaseChoosesIt_aReplicaInOperatorModeDoesNotRunTheControlLoop() {
        OperatorLeadership leadership = new OperatorLeadership();
        leadership.settings = ConfigMappings.load(OperatorSettings.class, Map.of("sluice.operator.enabled", "true"));
        assertThat(leadership.decides()).isTrue();
        assertThat(leadership.mayLead()).isFalse();
        assertThat(leadership.leads()).isFalse();
    }
}
