package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) started as its own process,
 * exactly as the README starts it, for tests of start-up and restart behaviour.
 */
public final class SluiceProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(45);

    private final Process process;
    private final Path log;
    private final int port;
    private final Map<String, String> environment;

    private SluiceProcess(Process process, Path log, int port, Map<String, String> environment) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.environment = environment;
    }

    /**
     * The first admin token, which the application wrote into {@code SLUICE_DATA_DIR} on its first
     * start (the newcomer's path in the README).
     */
    public String adminToken() {
        try {
            return Files.readString(Path.of(environment.get("SLUICE_DATA_DIR"), "admin-token"))
                    .trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request to the application carrying the admin token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + adminToken());
    }

    /**
     * Starts the jar with {@code environment} added to a copy of this JVM's environment from which any
     * database URL has been removed, and waits until it reports ready.
     */
    public static SluiceProcess start(Path log, Map<String, String> environment) {
        return start(log, environment, Path.of(""));
    }

    /** Starts the jar like {@link #start(Path, Map)}, in {@code workingDirectory}. */
    public static SluiceProcess start(Path log, Map<String, String> environment, Path workingDirectory) {
        String jar = Path.of(System.getProperty("sluice.app.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath()
                .toString();
        // A port given in the environment is kept across restarts (clients that outlive a process)
        int port = environment.containsKey("QUARKUS_HTTP_PORT")
                ? Integer.parseInt(environment.get("QUARKUS_HTTP_PORT"))
                : freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)
                .directory(workingDirectory.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(environment);
        try {
            SluiceProcess started = new SluiceProcess(builder.start(), log, port, environment);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP port it was started on (a free one). */
    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the application the way a service manager does (SIGTERM) and returns its exit code. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Sluice did not stop within " + STOP_LIMIT + "; log:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the application (SIGKILL: no shutdown hook runs) and returns its exit code. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(STOP_LIMIT);
    }

    /** Waits up to {@code limit} for the application to end by itself and returns its exit code. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Sluice did not exit within " + limit + "; log:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The process id, e.g. to find it named in another process's refusal. */
    public long pid() {
        return process.pid();
    }

    /**
     * Starts the jar like {@link #start} but expects it to stop by itself (a refused start): returns
     * its exit code once it has exited, within the start limit.
     */
    public static int startExpectingExit(Path log, Map<String, String> environment) {
        String jar = System.getProperty("sluice.app.jar", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        builder.environment().putAll(environment);
        try {
            Process p = builder.start();
            if (!p.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("Sluice did not exit within " + START_LIMIT);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void awaitReady() {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            Awaitility.await("Sluice ready")
                    .atMost(START_LIMIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(
                                    "Sluice exited with " + process.exitValue() + " while starting; log:\n" + log());
                        }
                        try {
                            return client.send(ready, HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            close();
            throw new AssertionError("Sluice was not ready within " + START_LIMIT + "; log:\n" + log(), e);
        }
    }

    /** A port free now, for a process started with it in its environment. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
