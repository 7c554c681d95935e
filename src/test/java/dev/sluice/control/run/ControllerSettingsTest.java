package dev.sluice.control.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerSettingsTest {
    @Test
    void defaultsRunTheLoopEveryQuarterSecond() {
        ControllerSettings settings = ConfigMappings.load(ControllerSettings.class, Map.of());
        assertThat(settings.loopEnabled()).isTrue();
        assertThat(settings.loopPeriod()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aLoopPeriodBelowTenMillisecondsStopsStartUp() {
        assertThatThrownBy(() ->
                        ConfigMappings.load(ControllerSettings.class, Map.of("sluice.controller.loop-period", "5ms")))
                .hasMessageContaining("sluice.controller.loop-period");
    }

    @Test
    void aLoopPeriodAboveTenSecondsStopsStartUp() {
        assertThatThrownBy(() ->
                        ConfigMappings.load(ControllerSettings.class, Map.of("sluice.controller.loop-period", "11s")))
                .hasMessageContaining("sluice.controller.loop-period");
    }
}
