package dev.sluice.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Sluice jar as a child process: a fresh data directory (so its embedded PostgreSQL
 * starts empty), a free port, a bootstrap admin token. Stopped with SIGTERM (then killed) on close.
 */
final class SluiceProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final String token;
    final Path dataDir;

    private SluiceProcess(Process process, int port, String token, Path dataDir) {
        this.process = process;
        this.port = port;
        this.token = token;
        this.dataDir = dataDir;
    }

    /**
     * Starts the jar and waits until it answers {@code /api/v1/ping}.
     *
     * @param jar {@code target/quarkus-app/quarkus-run.jar}
     * @param workDir where the data directory and the log go
     */
    static SluiceProcess start(Path jar, Path workDir, Duration startTimeout) throws IOException, InterruptedException {
        Path dataDir = workDir.resolve("sluice-data");
        Files.createDirectories(workDir);
        int port = freePort();
        String token = newToken();
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC", // two shared cores: no parallel GC threads competing with the bench
                "-jar",
                jar.toString());
        pb.environment().put("SLUICE_DATA_DIR", dataDir.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // The README documents SLUICE_BOOTSTRAP_TOKEN, but the setting is read as
        // sluice.security.bootstrap-token, whose environment name is this one (see docs/e2e.md,
        // Findings). Set both, and fall back to the generated admin-token file.
        pb.environment().put("SLUICE_BOOTSTRAP_TOKEN", token);
        pb.environment().put("SLUICE_SECURITY_BOOTSTRAP_TOKEN", token);
        pb.redirectErrorStream(true);
        pb.redirectOutput(workDir.resolve("sluice.log").toFile());
        Process p = pb.start();
        SluiceProcess s = new SluiceProcess(p, port, token, dataDir);
        s.awaitUp(startTimeout);
        return s;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void awaitUp(Duration timeout) throws InterruptedException, IOException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Sluice exited with " + process.exitValue() + " while starting; see its log");
            }
            try {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(base().resolve("/api/v1/ping"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        close();
        throw new IOException("Sluice did not answer within " + timeout);
    }

    /** The token that works: the bootstrap one, unless Sluice generated its own file instead. */
    String adminToken() throws IOException {
        Path file = dataDir.resolve("admin-token");
        return Files.exists(file) ? Files.readString(file).trim() : token;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code slc_<8 lower-case letters or digits>_<43 base64url characters>}, as TokenStore expects. */
    private static String newToken() {
        SecureRandom r = new SecureRandom();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        byte[] secret = new byte[32];
        r.nextBytes(secret);
        return "slc_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
