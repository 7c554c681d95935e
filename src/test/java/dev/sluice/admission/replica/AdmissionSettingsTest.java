package dev.sluice.admission.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionSettingsTest {
    @Test
    void defaultsRefreshEveryQuarterSecondAndBeatEveryTwoSeconds() {
        AdmissionSettings settings = ConfigMappings.load(AdmissionSettings.class, Map.of());
        assertThat(settings.refreshEnabled()).isTrue();
        assertThat(settings.refreshPeriod()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.wantReportPeriod()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void exactModeDefaultsToPostgresqlAndRedisToTheLocalServer() {
        AdmissionSettings settings = ConfigMappings.load(AdmissionSettings.class, Map.of());
        assertThat(settings.exactBackend()).isEqualTo(AdmissionSettings.ExactBackend.POSTGRESQL);
        assertThat(settings.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void exactBackendRedisIsReadInLowerCase() {
        AdmissionSettings settings =
                ConfigMappings.load(AdmissionSettings.class, Map.of("sluice.admission.exact-backend", "redis"));
        assertThat(settings.exactBackend()).isEqualTo(AdmissionSettings.ExactBackend.REDIS);
    }

    @Test
    void anUnknownExactBackendStopsStartUp() {
        assertRefused("sluice.admission.exact-backend", "memcached");
    }

    @Test
    void aWantReportPeriodBelowFiftyMillisecondsStopsStartUp() {
        assertRefused("sluice.admission.want-report-period", "10ms");
    }

    @Test
    void aWantReportPeriodAboveFiveSecondsStopsStartUp() {
        assertRefused("sluice.admission.want-report-period", "6s");
    }

    @Test
    void aRefreshPeriodBelowTenMillisecondsStopsStartUp() {
        assertRefused("sluice.admission.refresh-period", "1ms");
    }

    @Test
    void aRefreshPeriodAboveTenSecondsStopsStartUp() {
        assertRefused("sluice.admission.refresh-period", "1m");
    }

    @Test
    void aHeartbeatPeriodBelowOneTenthOfASecondStopsStartUp() {
        assertRefused("sluice.admission.heartbeat-period", "50ms");
    }

    @Test
    void aHeartbeatPeriodThatCouldOutlastReplicaLivenessStopsStartUp() {
        assertThat(Replicas.LIVENESS).isEqualTo(Duration.ofSeconds(10)); // the rule is half of it
        assertRefused("sluice.admission.heartbeat-period", "6s");
    }

    private static void assertRefused(String setting, String value) {
        assertThatThrownBy(() -> ConfigMappings.load(AdmissionSettings.class, Map.of(setting, value)))
                .hasMessageContaining(setting);
    }
}
