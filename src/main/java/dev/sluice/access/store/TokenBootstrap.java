package dev.sluice.access.store;

import dev.sluice.domain.Role;
import dev.sluice.runtime.DataDirectory;
import dev.sluice.runtime.OwnerOnlyFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The first admin token. When no token exists yet, one is created: with the value of
 * {@code SLUICE_BOOTSTRAP_TOKEN} if set (e.g. from a Kubernetes Secret), otherwise a random one
 * written to {@code <SLUICE_DATA_DIR>/admin-token} readable by the owner only. The token itself is
 * never logged; the log says where to find it.
 */
@Singleton
class TokenBootstrap {
    private static final Logger LOG = Logger.getLogger(TokenBootstrap.class);
    static final String BOOTSTRAP_NAME = "bootstrap-admin";

    @Inject
    TokenStore tokens;

    @Inject
    BootstrapToken bootstrapToken;

    @Inject
    DataDirectory dataDir;

    void onStart(@Observes StartupEvent event) {
        if (tokens.count() > 0) {
            return;
        }
        Optional<String> configured = bootstrapToken.value();
        if (configured.isPresent() && !configured.get().isBlank()) {
            try {
                tokens.create(
                        BOOTSTRAP_NAME,
                        List.of(Role.ADMIN),
                        List.of(),
                        "bootstrap",
                        configured.get().trim());
            } catch (RuntimeException e) {
                // Replicas of a new installation start together (seen in OperatorReplicasIT): the
                // one that lost the race finds the token the other created, from the same Secret.
                if (tokens.count() > 0) {
                    LOG.info("Another replica created the first admin token from SLUICE_BOOTSTRAP_TOKEN");
                    return;
                }
                throw e;
            }
            LOG.info("Created the first admin token, \"" + BOOTSTRAP_NAME + "\", from SLUICE_BOOTSTRAP_TOKEN");
            return;
        }
        String token = tokens.create(BOOTSTRAP_NAME, List.of(Role.ADMIN), List.of(), "bootstrap", null);
        Path file = Path.of(dataDir.path()).toAbsolutePath().resolve("admin-token");
        OwnerOnlyFiles.write(file, token);
        LOG.info("Created the first admin token, \"" + BOOTSTRAP_NAME + "\": it is in " + file
                + " (readable by this user only); the command line reads it from SLUICE_TOKEN_FILE=" + file
                + " (README, \"Quick start\")");
    }
}
