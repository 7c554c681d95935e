package dev.sluice.app;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/**
 * Which PostgreSQL this process uses, as {@link SluiceMain} decided ({@code sluice.database.*}): set
 * by it as system properties for the start-up banner, not by operators.
 */
@ConfigMapping(prefix = "sluice.database")
interface DatabaseChoice {
    String MODE = "sluice.database.mode";
    String DATA_DIR = "sluice.database.data-dir";

    /** {@code embedded} or {@code external}; absent when Quarkus was started some other way. */
    Optional<@Pattern(regexp = "embedded|external") String> mode();

    /** The embedded server's data directory. */
    Optional<String> dataDir();
}
