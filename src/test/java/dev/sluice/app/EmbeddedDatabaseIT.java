package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL asks every connection for its password, listens on loopback only, and
 * switches a data directory of an older, trusting version over on its first start, data intact.
 */
class EmbeddedDatabaseIT {
    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("postgres");
    }

    private Path passwordFile() {
        return dir.resolve(SluiceMain.PASSWORD_FILE);
    }

    @Test
    void aNewDataDirectoryAcceptsOnlyItsGeneratedPasswordOnLoopback() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data(), passwordFile(), 0)) {
            String password = Files.readString(passwordFile()).trim();
            assertThat(password).isEqualTo(db.password()).hasSizeGreaterThanOrEqualTo(40);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile())))
                    .isEqualTo("rw-------");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", password)) {
                assertThat(single(c, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(single(c, "SHOW password_encryption")).isEqualTo("scram-sha-256");
                assertThat(single(c, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"))
                        .isEqualTo("0");
            }
            assertRefused(db.jdbcUrl(), null);
            assertRefused(db.jdbcUrl(), "not-the-password");
        }
    }

    @Test
    void aDataDirectoryOfAnOlderTrustingVersionGetsThePasswordOnItsFirstStartAndKeepsItsData() throws Exception {
        // What earlier versions made: initdb -A trust, no password file.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data())
                        .setCleanDataDirectory(false)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('written before the upgrade')");
        }
        assertThat(passwordFile()).doesNotExist();

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data(), passwordFile(), 0)) {
            assertThat(passwordFile()).exists();
            assertThat(Files.readString(data().resolve("pg_hba.conf"))).doesNotContain("trust");
            awaitRefused(db.jdbcUrl());
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", db.password())) {
                assertThat(single(c, "SELECT v FROM kept")).isEqualTo("written before the upgrade");
            }
        }
        // The next start is a normal one: same password, nothing rewritten.
        String password = Files.readString(passwordFile()).trim();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data(), passwordFile(), 0)) {
            assertThat(db.password()).isEqualTo(password);
            assertRefused(db.jdbcUrl(), null);
        }
    }

    @Test
    void aPasswordProtectedDirectoryWhosePasswordFileWasDeletedRefusesToStartSayingWhy() {
        EmbeddedDatabase.start(data(), passwordFile(), 0).close();
        passwordFile().toFile().delete();
        assertThatThrownBy(() -> EmbeddedDatabase.start(data(), passwordFile(), 0))
                .hasMessageContaining(passwordFile().toString())
                .hasMessageContaining("missing");
    }

    /** The reload that switches an old directory over is asynchronous: wait for it, boundedly. */
    private static void awaitRefused(String url) {
        Awaitility.await("passwordless connections refused")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertRefused(url, null));
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() ->
                        DriverManager.getConnection(url, "postgres", password).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "28000", "08004"));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
