package dev.sluice.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The embedded PostgreSQL, started when no JDBC URL is configured ({@code sluice.embedded-db.*}). */
@ConfigMapping(prefix = "sluice.embedded-db")
interface EmbeddedDatabaseSettings {
    /**
     * {@code sluice.embedded-db.port} ({@code SLUICE_EMBEDDED_DB_PORT}), default 0 (any free port),
     * 0 to 65535: the port it listens on, on localhost only.
     */
    @WithDefault("0")
    @Min(0)
    @Max(65535)
    int port();
}
