package dev.sluice.app;

import dev.sluice.cli.SluiceCli;
import dev.sluice.runtime.DataDirectory;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts Sluice, or runs a command of the command line ({@code sluice plans list}, {@code sluice
 * simulate ...}, see {@link SluiceCli}) when the first argument is one, before Quarkus starts. When no JDBC URL is configured (environment {@code QUARKUS_DATASOURCE_JDBC_URL} or
 * system property {@code quarkus.datasource.jdbc.url}), it first starts an embedded PostgreSQL whose
 * data lives in {@code SLUICE_DATA_DIR} (default {@code ./sluice-data}, see {@link DataDirectory}), so a newcomer needs nothing
 * installed. This has to happen here, before Quarkus reads its configuration: a start-up observer
 * would be too late, and a config source would also run during the build.
 */
@QuarkusMain
public final class SluiceMain {
    static final String URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
    private static final int QUARKUS_STOP_WAIT_SECONDS = 30;
    /** The exit code when another live Sluice owns the data directory. */
    static final int EXIT_DATA_DIR_IN_USE = 3;
    /** The embedded database's superuser password, in the data directory, owner-only. */
    static final String PASSWORD_FILE = "postgres-password";
    /** Held for the life of the process: a lock that is collected is a lock that is let go. */
    private static DataDirectoryLock dataDirectoryLock;

    private SluiceMain() {}

    public static void main(String... args) {
        if (SluiceCli.isCommand(args)) {
            // The command line (a client of a running Sluice, or the simulator): no database, no
            // server started here. Its output is the command's, on standard output; the server
            // itself only ever logs.
            System.exit(SluiceCli.run(args));
        }
        if (configured(URL_ENV, URL_PROPERTY) != null) {
            System.setProperty(DatabaseChoice.MODE, "external");
            Quarkus.run(args);
            return;
        }
        SmallRyeConfig settings = startupSettings();
        Path sluiceDir =
                Path.of(settings.getConfigMapping(DataDirectory.class).path()).toAbsolutePath();
        // Before anything in the directory is touched: a second Sluice on it must stop here, not
        // take the live one's database for a server left behind.
        DataDirectoryLock owned;
        try {
            owned = DataDirectoryLock.acquire(sluiceDir);
        } catch (DataDirectoryLock.InUse e) {
            // The launcher's own refusal, before Quarkus (and its logging) has started: the process
            // ends here, so the message goes straight to standard error, as a command's would.
            System.err.println("Sluice cannot start: " + e.getMessage());
            System.exit(EXIT_DATA_DIR_IN_USE);
            return;
        }
        dataDirectoryLock = owned;
        Path dataDir = sluiceDir.resolve("postgres");
        EmbeddedDatabase database = EmbeddedDatabase.start(
                dataDir,
                sluiceDir.resolve(PASSWORD_FILE),
                settings.getConfigMapping(EmbeddedDatabaseSettings.class).port());
        System.setProperty(URL_PROPERTY, database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", database.username());
        System.setProperty("quarkus.datasource.password", database.password());
        System.setProperty(DatabaseChoice.MODE, "embedded");
        System.setProperty(DatabaseChoice.DATA_DIR, dataDir.toString());

        // The database must outlive the application: stop it only once Quarkus has stopped, whether
        // main returns normally or the JVM is shutting down on a signal (then main never returns,
        // and Quarkus stops in its own shutdown hook, which this one waits for).
        CountDownLatch quarkusStopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Thread waiter = new Thread(
                                    () -> {
                                        Application app = Application.currentApplication();
                                        if (app != null) {
                                            app.awaitShutdown();
                                        }
                                        quarkusStopped.countDown();
                                    },
                                    "sluice-await-quarkus-stop");
                            waiter.setDaemon(true);
                            waiter.start();
                            try {
                                quarkusStopped.await(QUARKUS_STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            try {
                                database.close();
                            } catch (RuntimeException e) {
                                // A server that died under Sluice cannot be stopped; the next start
                                // starts it again on the same data. Quarkus (and its logging) has
                                // stopped by now, so the line goes to standard error.
                                System.err.println("The embedded PostgreSQL could not be stopped (it may have"
                                        + " died already): " + e.getMessage());
                            } finally {
                                owned.close();
                            }
                        },
                        "sluice-embedded-postgres-stop"));
        try {
            Quarkus.run(args);
        } finally {
            quarkusStopped.countDown();
        }
    }

    private static String configured(String env, String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The start-up settings from system properties and the environment (Quarkus has not read its
     * configuration yet), validated like Quarkus validates them: a bad value stops here, named.
     */
    static SmallRyeConfig startupSettings() {
        return new SmallRyeConfigBuilder()
                .addSystemSources()
                .withMapping(DataDirectory.class)
                .withMapping(EmbeddedDatabaseSettings.class)
                .withValidator(new BeanValidationConfigValidatorImpl())
                .build();
    }
}
