package dev.sluice.app;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Says at start-up which PostgreSQL Sluice uses, without credentials. */
@Singleton
class DatabaseBanner {
    private static final Logger LOG = Logger.getLogger(DatabaseBanner.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> jdbcUrl;

    @Inject
    DatabaseChoice database;

    void onStart(@Observes StartupEvent event) {
        String where = jdbcUrl.map(DatabaseBanner::withoutSecrets).orElse("(no JDBC URL)");
        if ("embedded".equals(database.mode().orElse(""))) {
            LOG.infof(
                    "Database: embedded PostgreSQL at %s, data directory %s (kept across restarts)",
                    where, database.dataDir().orElse("?"));
        } else {
            LOG.infof("Database: external PostgreSQL at %s", where);
        }
    }

    /** A JDBC URL without user info or query parameters, which may carry a password. */
    static String withoutSecrets(String url) {
        String result = url;
        int query = result.indexOf('?');
        if (query >= 0) {
            result = result.substring(0, query);
        }
        int scheme = result.indexOf("//");
        int at = result.indexOf('@', scheme + 2);
        if (scheme >= 0 && at > scheme) {
            result = result.substring(0, scheme + 2) + result.substring(at + 1);
        }
        return result;
    }
}
