package dev.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The application's database is a {@link PrivatePostgres} that the test can stop and start, reached
 * through a {@link BlackHoleProxy} that the test can turn into a black hole: for drills where the
 * database goes away (refuses) or hangs (answers nothing). The application is given the proxy's
 * address; the test reaches the server directly ({@link PrivatePostgres#jdbcUrl()}). Used by a test
 * profile that disables the shared test database, so the application starts against this server
 * only.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {
    private static volatile PrivatePostgres server;
    private static volatile BlackHoleProxy proxy;

    /** The running drill's server. */
    public static PrivatePostgres server() {
        return server;
    }

    /** The proxy between the application and {@link #server()}; it forwards unless told otherwise. */
    public static BlackHoleProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        server = PrivatePostgres.started();
        proxy = BlackHoleProxy.to(server.port());
        return Map.of(
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                "quarkus.datasource.username",
                "postgres");
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
