package dev.sluice.app;

import dev.sluice.runtime.OwnerOnlyFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server run from the binaries bundled with the application, for machines where
 * no database is configured. Its data directory is kept between starts, so what was stored before
 * a restart is there after it.
 *
 * <p>Protected like this: it listens on {@code 127.0.0.1} only, and every connection (TCP and Unix
 * socket) must give the superuser's password (scram-sha-256), which is generated on first start and
 * kept in an owner-only file ({@code 0600}) beside the data. What remains trusted is the OS user that
 * owns the data directory (and root): it can read that file, and the data files themselves.
 * A data directory made by a version that trusted local connections is switched over on its first
 * start by this one.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Duration STALE_SERVER_STOP_WAIT = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SUPERUSER = "postgres";
    static final String HBA_FILE = "pg_hba.conf";
    /** Password authentication only, loopback only: no {@code trust}, no {@code peer}. */
    static final String HBA = """
            # Written by Sluice: every connection gives the password (scram-sha-256), on loopback only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating and initialising it on first use. The
     * caller owns the directory ({@link DataDirectoryLock}): a server still running on it can only be
     * one left behind by a killed Sluice, and is stopped first.
     *
     * @param passwordFile where the superuser's password is kept (created on first use), outside
     *     {@code dataDirectory}
     * @param port the TCP port, or 0 for any free one
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path passwordFile, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopServerLeftBehind(dataDirectory);
            boolean initialised = Files.exists(dataDirectory.resolve("postgresql.conf"));
            String password = readOrCreatePassword(passwordFile, dataDirectory, initialised);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // The embedded default keeps real data: undo the test-speed settings of the
                    // library (fsync off, asynchronous commit) so a crash cannot lose commits.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // The library's own readiness check connects too: with the password.
                    .setConnectConfig("password", password)
                    .setPGStartupWait(Duration.ofSeconds(30));
            Path initialPassword = null;
            if (!initialised) {
                // A new directory never trusts anyone: initdb sets the password and the method.
                initialPassword = Files.createTempFile(
                        "sluice-initdb",
                        ".pw",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(initialPassword, password + "\n");
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", initialPassword.toString());
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } finally {
                if (initialPassword != null) {
                    Files.deleteIfExists(initialPassword);
                }
            }
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDirectory, password);
            database.requirePassword();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * The password of the superuser: the one kept in {@code file}, or a new one written there. A data
     * directory that already exists but has no password file is one from a version that trusted
     * local connections: it gets the new password on this start ({@link #requirePassword}).
     */
    private static String readOrCreatePassword(Path file, Path dataDirectory, boolean initialised) throws IOException {
        if (Files.exists(file)) {
            String kept = Files.readString(file).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        Path hba = dataDirectory.resolve(HBA_FILE);
        if (initialised && Files.exists(hba) && Files.readString(hba).equals(HBA)) {
            throw new IllegalStateException("the embedded PostgreSQL needs a password and " + file
                    + " is missing or empty: restore that file, or start over with a new SLUICE_DATA_DIR");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        OwnerOnlyFiles.write(file, password);
        return password;
    }

    /**
     * Makes the server ask for the password, whatever the directory allowed before: sets it on the
     * superuser and replaces {@code pg_hba.conf} (only when it differs, so a normal start changes
     * nothing). Until the reload, the old rules apply, which only the migrating start ever sees.
     */
    private void requirePassword() throws IOException {
        Path hba = dataDirectory.resolve(HBA_FILE);
        if (Files.readString(hba).equals(HBA)) {
            return;
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), SUPERUSER, password);
                Statement s = c.createStatement()) {
            // The password is base64url: no quote can end the literal.
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Files.writeString(hba, HBA);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not require a password on the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password, for the datasource; never logged. */
    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A previous Sluice that was killed (not stopped) leaves its PostgreSQL running on the data
     * directory, which would make this start fail. Stop that server first; it has no clients left.
     */
    private static void stopServerLeftBehind(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> server =
                lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
        Optional<ProcessHandle> postgres = server.filter(
                p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (postgres.isEmpty()) {
            return; // stale file of a server that is gone: PostgreSQL itself handles that
        }
        postgres.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
        try {
            postgres.get().onExit().get(STALE_SERVER_STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "a PostgreSQL server (pid " + postgres.get().pid() + ") still runs on " + dataDirectory
                            + " and did not stop; stop it and start again",
                    e);
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
