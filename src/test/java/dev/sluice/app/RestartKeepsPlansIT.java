package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.PlanDocuments;
import dev.sluice.testing.PostgresTestResource;
import dev.sluice.testing.SluiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged application as the README does, stores a plan, stops it, starts it again and
 * reads the plan back. By default on the embedded PostgreSQL (a fresh data directory); when the
 * suite runs against an external server, on that server instead.
 */
class RestartKeepsPlansIT {
    private static final String SCHEMA = "sluice_restart_it";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void planStoredBeforeARestartIsThereAfterIt(@TempDir Path dir) throws Exception {
        Map<String, String> environment = environment(dir);
        try {
            restartAndRead(dir, environment);
        } finally {
            dropExternalSchema();
        }
    }

    private void restartAndRead(Path dir, Map<String, String> environment) throws Exception {
        Path log = dir.resolve("sluice.log");
        try (SluiceProcess first = SluiceProcess.start(log, environment)) {
            HttpResponse<String> created = http.send(
                    first.request("/api/v1/plans")
                            .header("Content-Type", "application/yaml")
                            .POST(HttpRequest.BodyPublishers.ofString(PlanDocuments.referenceYaml()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(first.stop()).isIn(0, 143);
        }
        try (SluiceProcess second = SluiceProcess.start(log, environment)) {
            HttpResponse<String> read = http.send(
                    second.request("/api/v1/plans/kv-store-recovery/order").build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(second.uri("/api/v1/plans")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"plan\":\"kv-store-recovery\"", "\"name\":\"access\"");
            second.stop();
        }
        String expectedBanner = environment.containsKey("QUARKUS_DATASOURCE_JDBC_URL")
                ? "Database: external PostgreSQL at jdbc:postgresql://"
                : "Database: embedded PostgreSQL at jdbc:postgresql://127.0.0.1:";
        String text = java.nio.file.Files.readString(log);
        assertThat(text)
                .contains(expectedBanner)
                .contains("Created the first admin token, \"bootstrap-admin\": it is in " + dir.resolve("data"))
                .doesNotContain(
                        java.nio.file.Files.readString(dir.resolve("data").resolve("admin-token"))
                                .trim());
        if (!environment.containsKey("QUARKUS_DATASOURCE_JDBC_URL")) {
            assertThat(text).contains("data directory " + dir.resolve("data").resolve("postgres"));
        }
    }

    private static void dropExternalSchema() throws Exception {
        String external = PostgresTestResource.externalUrl();
        if (external != null) {
            try (Connection c = DriverManager.getConnection(external, PostgresTestResource.externalUser(), null);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static Map<String, String> environment(Path dir) throws Exception {
        String external = PostgresTestResource.externalUrl();
        if (external == null) {
            return Map.of("SLUICE_DATA_DIR", dir.resolve("data").toString());
        }
        String user = PostgresTestResource.externalUser();
        try (Connection c = DriverManager.getConnection(external, user, null);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        String separator = external.contains("?") ? "&" : "?";
        return Map.of(
                "SLUICE_DATA_DIR",
                dir.resolve("data").toString(),
                "QUARKUS_DATASOURCE_JDBC_URL",
                external + separator + "currentSchema=" + SCHEMA,
                "QUARKUS_DATASOURCE_USERNAME",
                user,
                "QUARKUS_FLYWAY_SCHEMAS",
                SCHEMA);
    }
}
