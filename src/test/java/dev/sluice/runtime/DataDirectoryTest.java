package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {
    @Test
    void defaultsToSluiceData() {
        assertThat(ConfigMappings.load(DataDirectory.class, Map.of()).path()).isEqualTo("sluice-data");
    }

    @Test
    void aBlankDataDirectoryStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(DataDirectory.class, Map.of("sluice.data-dir", " ")))
                .hasMessageContaining("sluice.data-dir");
    }
}
