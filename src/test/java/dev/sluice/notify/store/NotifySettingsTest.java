package dev.sluice.notify.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifySettingsTest {
    @Test
    void deliveredNotificationsAreKeptAWeekByDefault() {
        assertThat(ConfigMappings.load(NotifySettings.class, Map.of()).retention())
                .isEqualTo(Duration.ofDays(7));
        assertThat(ConfigMappings.load(NotifySettings.class, Map.of("sluice.notify.retention", "30d"))
                        .retention())
                .isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aRetentionShorterThanADayStopsStartUp() {
        // A paused run's last announcement must outlive the longest reminder period (a day).
        assertThatThrownBy(() -> ConfigMappings.load(NotifySettings.class, Map.of("sluice.notify.retention", "1h")))
                .hasMessageContaining("sluice.notify.retention");
    }
}
