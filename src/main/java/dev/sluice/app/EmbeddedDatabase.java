package dev.sluice.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server run from the binaries bundled with the application, for machines where
 * no database is configured. Its data directory is kept between starts, so what was stored before
 * a restart is there after it. Listens on localhost only.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Duration STALE_SERVER_STOP_WAIT = Duration.ofSeconds(15);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating and initialising it on first use.
     *
     * @param port the TCP port, or 0 for any free one
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopServerLeftBehind(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // The embedded default keeps real data: undo the test-speed settings of the
                    // library (fsync off, asynchronous commit) so a crash cannot lose commits.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(30));
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedDatabase(builder.start(), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
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
