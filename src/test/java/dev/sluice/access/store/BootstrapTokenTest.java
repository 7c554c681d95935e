package dev.sluice.access.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.ConfigMappings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTokenTest {
    private static final String TOKEN = "slc_abcd1234_" + "A".repeat(43);

    @Test
    void unsetByDefault() {
        assertThat(ConfigMappings.load(BootstrapToken.class, Map.of()).value()).isEmpty();
    }

    @Test
    void aTokenFromASecretFileMayEndInANewline() {
        assertThat(ConfigMappings.load(BootstrapToken.class, Map.of("sluice.bootstrap-token", TOKEN + "\n"))
                        .value())
                .hasValue(TOKEN + "\n");
    }

    @Test
    void aValueThatIsNotATokenStopsStartUp() {
        assertThatThrownBy(() -> ConfigMappings.load(BootstrapToken.class, Map.of("sluice.bootstrap-token", "hunter2")))
                .hasMessageContaining("sluice.bootstrap-token")
                .hasMessageContaining("slc_");
    }
}
