package dev.sluice.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
    @Test
    void operatorModeIsOffByDefaultWithLeaderElectionAndWithoutTheWebhook() {
        OperatorSettings s = ConfigMappings.load(OperatorSettings.class, Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.leaderElection()).isTrue();
        assertThat(s.leaseName()).isEqualTo("sluice-operator");
        assertThat(s.leaseNamespace()).isEmpty();
        assertThat(s.namespaces()).isEmpty();
        assertThat(s.webhookEnabled()).isFalse();
        assertThat(s.statusPollPeriod()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.statusMinInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.statusWritesPerSecond()).isEqualTo(50);
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.leaseRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.leaseRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
        OperatorLeadership.checkLeaseTimings(s);
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseStopsStartUp() {
        OperatorSettings s = ConfigMappings.load(
                OperatorSettings.class,
                Map.of("sluice.operator.lease-duration", "6s", "sluice.operator.lease-renew-deadline", "6s"));
        assertThatThrownBy(() -> OperatorLeadership.checkLeaseTimings(s))
                .hasMessage("sluice.operator.lease-renew-deadline (PT6S) must be shorter than"
                        + " sluice.operator.lease-duration (PT6S)");
    }

    @Test
    void aRetryPeriodNotShorterThanTheRenewDeadlineStopsStartUp() {
        OperatorSettings s = ConfigMappings.load(
                OperatorSettings.class,
                Map.of("sluice.operator.lease-renew-deadline", "2s", "sluice.operator.lease-retry-period", "3s"));
        assertThatThrownBy(() -> OperatorLeadership.checkLeaseTimings(s))
                .hasMessageContaining("sluice.operator.lease-retry-period (PT3S) must be shorter than");
    }

    @Test
    void aLeaseShorterThanTwoSecondsStopsStartUp() {
        assertThatThrownBy(() ->
                        ConfigMappings.load(OperatorSettings.class, Map.of("sluice.operator.lease-duration", "1s")))
                .hasMessageContaining("sluice.operator.lease-duration");
    }

    @Test
    void watchedNamespacesAreACommaSeparatedList() {
        OperatorSettings s =
                ConfigMappings.load(OperatorSettings.class, Map.of("sluice.operator.namespaces", "restore,payments"));
        assertThat(s.namespaces()).contains(List.of("restore", "payments"));
    }

    @Test
    void aStatusPollPeriodBelowFiftyMillisecondsStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-poll-period", "10ms")))
                .hasMessageContaining("sluice.operator.status-poll-period");
    }

    @Test
    void aStatusPollPeriodAboveTenSecondsStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-poll-period", "11s")))
                .hasMessageContaining("sluice.operator.status-poll-period");
    }

    @Test
    void aStatusMinIntervalBelowATenthOfASecondStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-min-interval", "50ms")))
                .hasMessageContaining("sluice.operator.status-min-interval");
    }

    @Test
    void aStatusMinIntervalAboveTenMinutesStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-min-interval", "11m")))
                .hasMessageContaining("sluice.operator.status-min-interval");
    }

    @Test
    void statusWritesPerSecondOutsideOneToAThousandStopStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-writes-per-second", "0")))
                .hasMessageContaining("sluice.operator.status-writes-per-second");
        assertThatThrownBy(() -> ConfigMappings.load(
                        OperatorSettings.class, Map.of("sluice.operator.status-writes-per-second", "1001")))
                .hasMessageContaining("sluice.operator.status-writes-per-second");
    }

    @Test
    void aTypoUnderSluiceOperatorStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(OperatorSettings.class, Map.of("sluice.operator.enable", "true")))
                .hasMessageContaining("sluice.operator.enable");
    }
}
