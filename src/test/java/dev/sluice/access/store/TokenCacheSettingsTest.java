package dev.sluice.access.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCacheSettingsTest {
    @Test
    void byDefaultAVerifiedTokenOutlastsADatabaseOutageByTenMinutes() {
        assertThat(ConfigMappings.load(TokenCacheSettings.class, Map.of()).outageGrace())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void zeroTurnsTheGraceOff() {
        assertThat(ConfigMappings.load(TokenCacheSettings.class, Map.of("sluice.token-cache.outage-grace", "0s"))
                        .outageGrace())
                .isZero();
    }

    @Test
    void aGraceAboveADayStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                                TokenCacheSettings.class, Map.of("sluice.token-cache.outage-grace", "25h"))
                        .outageGrace())
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("sluice.token-cache.outage-grace");
    }

    @Test
    void aNegativeGraceStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(
                                TokenCacheSettings.class, Map.of("sluice.token-cache.outage-grace", "-1s"))
                        .outageGrace())
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("sluice.token-cache.outage-grace");
    }
}
