package dev.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL the integration tests run against: a fresh embedded server by default, or, when
 * {@code sluice.test.jdbc-url} (or {@code SLUICE_TEST_JDBC_URL}) names one, a fresh schema on that
 * external server, dropped again afterwards. CI runs the suite both ways.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String EXTERNAL_URL_PROPERTY = "sluice.test.jdbc-url";
    private final String schema;

    /** Used by Quarkus for the shared application: schema {@code sluice_it} on an external server. */
    public PostgresTestResource() {
        this("sluice_it");
    }

    /** For tests that need a database of their own beside the application's. */
    public PostgresTestResource(String schema) {
        this.schema = schema;
    }

    private EmbeddedPostgres embedded;
    private String externalUrl;
    private String externalUser;

    /** The external server's JDBC URL, or null to use an embedded one. */
    public static String externalUrl() {
        String url = System.getProperty(EXTERNAL_URL_PROPERTY);
        if (url == null || url.isBlank()) {
            url = System.getenv("SLUICE_TEST_JDBC_URL");
        }
        return url == null || url.isBlank() ? null : url;
    }

    public static String externalUser() {
        String user = System.getProperty("sluice.test.jdbc-user", System.getenv("SLUICE_TEST_JDBC_USER"));
        return user == null || user.isBlank() ? "postgres" : user;
    }

    @Override
    public Map<String, String> start() {
        externalUrl = externalUrl();
        if (externalUrl != null) {
            externalUser = externalUser();
            execute("DROP schema IF EXISTS " + schema + " CASCADE", "CREATE schema " + schema);
            String separator = externalUrl.contains("?") ? "&" : "?";
            return Map.of(
                    "quarkus.datasource.jdbc.url", externalUrl + separator + "currentSchema=" + schema,
                    "quarkus.datasource.username", externalUser,
                    "quarkus.flyway.schemas", schema);
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url",
                embedded.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username",
                "postgres");
    }

    @Override
    public void stop() {
        if (externalUrl != null) {
            execute("DROP schema IF EXISTS " + schema + " CASCADE");
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void execute(String... statements) {
        try (Connection c = DriverManager.getConnection(externalUrl, externalUser, null);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the external test database " + externalUrl, e);
        }
    }
}
