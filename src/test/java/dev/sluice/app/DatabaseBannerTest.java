package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseBannerTest {

    @Test
    void loggedUrlCarriesNoCredentials() {
        assertThat(DatabaseBanner.withoutSecrets("jdbc:postgresql://db:5432/sluice?user=u&password=hunter2"))
                .isEqualTo("jdbc:postgresql://db:5432/sluice");
        assertThat(DatabaseBanner.withoutSecrets("jdbc:postgresql://u:hunter2@db:5432/sluice"))
                .isEqualTo("jdbc:postgresql://db:5432/sluice");
        assertThat(DatabaseBanner.withoutSecrets("jdbc:postgresql://localhost:1234/postgres"))
                .isEqualTo("jdbc:postgresql://localhost:1234/postgres");
    }
}
