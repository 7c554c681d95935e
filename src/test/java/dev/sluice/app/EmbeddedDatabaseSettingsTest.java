package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseSettingsTest {
    @Test
    void defaultsToAnyFreePortAndNoDeclaredChoice() {
        assertThat(ConfigMappings.load(EmbeddedDatabaseSettings.class, Map.of()).port())
                .isZero();
        assertThat(ConfigMappings.load(DatabaseChoice.class, Map.of()).mode()).isEmpty();
    }

    @Test
    void aNegativePortStopsStartUp() {
        assertRefused(EmbeddedDatabaseSettings.class, "sluice.embedded-db.port", "-1");
    }

    @Test
    void aPortAbove65535StopsStartUp() {
        assertRefused(EmbeddedDatabaseSettings.class, "sluice.embedded-db.port", "65536");
    }

    @Test
    void anUnknownDatabaseModeStopsStartUp() {
        assertRefused(DatabaseChoice.class, DatabaseChoice.MODE, "cloud");
    }

    private static void assertRefused(Class<?> mapping, String setting, String value) {
        assertThatThrownBy(() -> ConfigMappings.load(mapping, Map.of(setting, value)))
                .hasMessageContaining(setting);
    }
}
