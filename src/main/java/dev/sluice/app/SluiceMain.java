package dev.sluice.app;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts Sluice. When no JDBC URL is configured (environment {@code QUARKUS_DATASOURCE_JDBC_URL} or
 * system property {@code quarkus.datasource.jdbc.url}), it first starts an embedded PostgreSQL whose
 * data lives in {@code SLUICE_DATA_DIR} (default {@code ./sluice-data}), so a newcomer needs nothing
 * installed. This has to happen here, before Quarkus reads its configuration: a start-up observer
 * would be too late, and a config source would also run during the build.
 */
@QuarkusMain
public final class SluiceMain {
    static final String URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String DATA_DIR_ENV = "SLUICE_DATA_DIR";
    static final String EMBEDDED_PORT_ENV = "SLUICE_EMBEDDED_DB_PORT";
    private static final int QUARKUS_STOP_WAIT_SECONDS = 30;

    private SluiceMain() {}

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("simulate")) {
            // A pure computation: no database, no server. Its table is the command's output, so it goes
            // to standard output; the server itself only ever logs.
            System.exit(dev.sluice.sim.cli.SimulateCommand.run(
                    java.util.List.of(args).subList(1, args.length), System.out, System.err));
        }
        if (configured(URL_ENV, URL_PROPERTY) != null) {
            System.setProperty(DatabaseBanner.MODE_PROPERTY, "external");
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(orDefault(configured(DATA_DIR_ENV, "sluice.data-dir"), "sluice-data"))
                .toAbsolutePath()
                .resolve("postgres");
        int port = Integer.parseInt(orDefault(configured(EMBEDDED_PORT_ENV, "sluice.embedded-db.port"), "0"));
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, port);
        System.setProperty(URL_PROPERTY, database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", database.username());
        System.setProperty(DatabaseBanner.MODE_PROPERTY, "embedded");
        System.setProperty(DatabaseBanner.DATA_DIR_PROPERTY, dataDir.toString());

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
                            database.close();
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

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
