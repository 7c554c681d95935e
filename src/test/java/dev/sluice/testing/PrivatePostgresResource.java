package dev.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The application's database is a {@link PrivatePostgres} that the test can stop and start: for
 * drills where the database goes away. Used by a test profile that disables the shared test
 * database, so the application starts against this server only.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {
    private static volatile PrivatePostgres server;

    /** The running drill's server. */
    public static PrivatePostgres server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = PrivatePostgres.started();
        return Map.of("quarkus.datasource.jdbc.url", server.jdbcUrl(), "quarkus.datasource.username", "postgres");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
