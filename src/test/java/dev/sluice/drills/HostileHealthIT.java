package dev.sluice.drills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.health.HealthSample;
import dev.sluice.health.source.HealthSourceReader;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drill 4 of issue 14, hostile health targets: real local sockets that hang, reset, trickle, send
 * without end, answer garbage, NaN and infinities, redirect to themselves, or speak plain HTTP to a
 * TLS client. Every read of every kind ends unknown with a reason, within the read's budget (the
 * source's timeout plus the reader's margins), reads a bounded number of bytes, and a hostile source
 * does not delay another plan's reading.
 */
@QuarkusTest
class HostileHealthIT {
    private static final long TIMEOUT_MILLIS = 500;
    /** What {@link HealthSourceReader#read} allows itself: the timeout and two guard margins. */
    private static final long BUDGET_MILLIS = TIMEOUT_MILLIS + 1000;
    /** Scheduling slack on a loaded two-core machine. */
    private static final long SLACK_MILLIS = 700;

    @Inject
    HealthSourceReader reader;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    enum Hostility {
        HANG,
        RESET,
        TRICKLE_HEADERS,
        TRICKLE_BODY,
        ENDLESS_BODY,
        HUGE_DECLARED_BODY,
        REDIRECT_LOOP,
        NOT_A_NUMBER,
        NAN,
        INFINITY,
        PROMETHEUS_NAN,
        PROMETHEUS_INF,
        /** Plain HTTP written the moment a client connects, before it says anything: TLS cannot start. */
        PLAIN_AT_ONCE
    }

    /** What is hostile to a probe, which reads only the status: not what follows the headers. */
    private static final java.util.Set<Hostility> TO_A_PROBE =
            java.util.EnumSet.of(Hostility.HANG, Hostility.RESET, Hostility.TRICKLE_HEADERS, Hostility.REDIRECT_LOOP);

    @AfterEach
    void closeServers() throws IOException {
        closed.countDown();
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    @Test
    void everyHostileTargetIsUnknownWithAReasonWithinTheBudget() {
        for (String kind : List.of("http", "json", "prometheus")) {
            for (Hostility hostility : Hostility.values()) {
                if (hostility == Hostility.PLAIN_AT_ONCE || (kind.equals("http") && !TO_A_PROBE.contains(hostility))) {
                    continue;
                }
                Target target = serve(hostility);
                long started = System.nanoTime();
                HealthSample sample = readOne(kind, "http://127.0.0.1:" + target.port() + "/health");
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                String what = kind + " source against " + hostility + " (" + elapsedMillis + " ms, " + sample + ")";
                assertThat(sample.readable()).as(what).isFalse();
                assertThat(sample.problem()).as(what).isNotBlank();
                assertThat(elapsedMillis).as(what).isLessThan(BUDGET_MILLIS + SLACK_MILLIS);
            }
        }
    }

    @Test
    void aProbeReadsTheStatusAndNotTheBody() {
        Target endless = serve(Hostility.ENDLESS_BODY);
        HealthSample sample = readOne("http", "http://127.0.0.1:" + endless.port() + "/health");
        // The headers say 200 and a body without end follows: the probe is green on the status,
        // fast, and has not read the body.
        assertThat(sample.readable()).isTrue();
        assertThat(sample.errorRatio()).isEqualTo(0.0);
        awaitWriterStopped(endless);
        assertThat(endless.written().get()).as("bytes the target got rid of").isLessThan(8L * 1024 * 1024);
    }

    @Test
    void aBodyWithoutEndIsCutOffAtTheAnswerLimit() {
        Target endless = serve(Hostility.ENDLESS_BODY);
        HealthSample sample = readOne("json", "http://127.0.0.1:" + endless.port() + "/health");
        assertThat(sample.readable()).isFalse();
        assertThat(sample.problem()).contains("larger than");
        awaitWriterStopped(endless);
        // The reader stopped at its 1 MiB limit; what else left the target sat in socket buffers.
        assertThat(endless.written().get()).isLessThan(1024L * 1024 + 8L * 1024 * 1024);
    }

    @Test
    void aRedirectLoopIsNotFollowed() {
        Target loop = serve(Hostility.REDIRECT_LOOP);
        HealthSample probe = readOne("http", "http://127.0.0.1:" + loop.port() + "/health");
        assertThat(probe.readable()).isFalse();
        assertThat(probe.problem()).contains("redirect");
        HealthSample json = readOne("json", "http://127.0.0.1:" + loop.port() + "/health");
        assertThat(json.problem()).contains("302");
        assertThat(loop.connections().get())
                .as("one connection per read: no redirect followed")
                .isEqualTo(2);
    }

    @Test
    void aTlsSourceAgainstAPlainServerIsUnknown() {
        for (Hostility hostility : List.of(Hostility.PLAIN_AT_ONCE, Hostility.HANG)) {
            Target plain = serve(hostility);
            for (String kind : List.of("http", "json", "prometheus")) {
                long started = System.nanoTime();
                HealthSample sample = readOne(kind, "https://127.0.0.1:" + plain.port() + "/health");
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                String what = kind + " over TLS to a plain " + hostility + " (" + sample + ")";
                assertThat(sample.readable()).as(what).isFalse();
                assertThat(sample.problem()).as(what).isNotBlank();
                assertThat(elapsedMillis).as(what).isLessThan(BUDGET_MILLIS + SLACK_MILLIS);
            }
        }
    }

    @Test
    void aTlsTargetWithACertificateNobodyTrustsIsUnknownAndNeverRead(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // A real TLS server answering a healthy body, behind a self-signed certificate made here:
        // the reader must refuse the handshake (no trust-all fallback), not read the green body.
        Path keystore = dir.resolve("untrusted.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "tier",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "drill-only",
                        "-keypass",
                        "drill-only")
                .redirectErrorStream(true)
                .start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOutput).isZero();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            keys.load(in, "drill-only".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory keyManagers =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "drill-only".toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        AtomicLong answered = new AtomicLong();
        server.createContext("/", exchange -> {
            answered.incrementAndGet();
            byte[] body = "{\"v\":0}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            for (String kind : List.of("http", "json", "prometheus")) {
                long started = System.nanoTime();
                HealthSample sample =
                        readOne(kind, "https://127.0.0.1:" + server.getAddress().getPort() + "/health");
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                String what = kind + " over TLS to an untrusted certificate (" + sample + ")";
                assertThat(sample.readable()).as(what).isFalse();
                assertThat(sample.problem()).as(what).isNotBlank();
                assertThat(elapsedMillis).as(what).isLessThan(BUDGET_MILLIS + SLACK_MILLIS);
            }
            assertThat(answered.get())
                    .as("requests that got past the handshake")
                    .isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHangingSourceDoesNotDelayAnotherPlansReading() throws Exception {
        Target hang = serve(Hostility.HANG);
        Target fine = serve(null);
        CompletableFuture<List<HealthSample>> stuck = CompletableFuture.supplyAsync(() -> reader.read(
                "hostile-hang",
                plan("hostile-hang", "http", "http://127.0.0.1:" + hang.port() + "/health"),
                Instant.now()));
        long started = System.nanoTime();
        List<HealthSample> other = reader.read(
                "hostile-fine",
                plan("hostile-fine", "http", "http://127.0.0.1:" + fine.port() + "/health"),
                Instant.now());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(other)
                .singleElement()
                .satisfies(s -> assertThat(s.readable()).isTrue());
        assertThat(elapsedMillis).as("the healthy plan's read").isLessThan(TIMEOUT_MILLIS);
        assertThat(stuck.get(BUDGET_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS))
                .singleElement()
                .satisfies(s -> assertThat(s.readable()).isFalse());
    }

    private HealthSample readOne(String kind, String url) {
        String name = "hostile-" + kind;
        List<HealthSample> samples = reader.read(name, plan(name, kind, url), Instant.now());
        assertThat(samples).hasSize(1);
        return samples.get(0);
    }

    /** A plan whose tier has one source; each read uses a new url, hence a guard of its own. */
    private static CompiledPlan plan(String name, String kind, String url) {
        String source = switch (kind) {
            case "http" -> "{\"name\": \"s\", \"kind\": \"http\", \"url\": \"%s\", \"timeoutMillis\": %d}";
            case "json" ->
                "{\"name\": \"s\", \"kind\": \"json\", \"url\": \"%s\", \"pointer\": \"/v\","
                        + " \"signal\": \"error-ratio\", \"timeoutMillis\": %d}";
            default ->
                "{\"name\": \"s\", \"kind\": \"prometheus\", \"url\": \"%s\", \"query\": \"up\","
                        + " \"signal\": \"error-ratio\", \"timeoutMillis\": %d}";
        };
        String document = """
                {"name": "%s",
                 "tier": {"name": "kv", "capacityPerSecond": 400, "health": [%s]},
                 "services": [{"name": "a", "demandPerSecond": 100}],
                 "stages": [{"name": "full", "share": 1.0, "holdSeconds": 5}],
                 "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                            "windowSeconds": 3, "greenSamples": 2, "redSamples": 2}]}
                """.formatted(name, source.formatted(url, TIMEOUT_MILLIS));
        return PlanCompiler.compileStored(PlanCodec.read(document.getBytes(StandardCharsets.UTF_8), PlanFormat.JSON));
    }

    record Target(int port, AtomicLong written, java.util.concurrent.atomic.AtomicInteger connections) {}

    /** A raw socket server acting out one hostility on every connection (null: a healthy answer). */
    private Target serve(Hostility hostility) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            servers.add(server);
            Target target = new Target(
                    server.getLocalPort(), new AtomicLong(), new java.util.concurrent.atomic.AtomicInteger());
            Thread acceptor = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try {
                                Socket socket = server.accept();
                                target.connections().incrementAndGet();
                                Thread worker = new Thread(() -> act(socket, hostility, target), "hostile-connection");
                                worker.setDaemon(true);
                                worker.start();
                            } catch (IOException closedDown) {
                                return;
                            }
                        }
                    },
                    "hostile-" + hostility);
            acceptor.setDaemon(true);
            acceptor.start();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void act(Socket socket, Hostility hostility, Target target) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            if (hostility == Hostility.PLAIN_AT_ONCE) {
                write(out, target, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"v\":0}\n");
                pause(2_000);
                return;
            }
            readRequestHead(socket.getInputStream());
            if (hostility == null) {
                write(out, target, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"v\":0}\n");
                return;
            }
            switch (hostility) {
                case HANG, PLAIN_AT_ONCE -> pause(60_000);
                case RESET -> {
                    socket.setSoLinger(true, 0); // close with a RST
                }
                case TRICKLE_HEADERS -> {
                    for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"v\":0}\n".getBytes()) {
                        out.write(b);
                        out.flush();
                        pause(100);
                    }
                }
                case TRICKLE_BODY -> {
                    write(out, target, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
                    for (int i = 0; i < 1000; i++) {
                        write(out, target, " ");
                        pause(50);
                    }
                }
                case ENDLESS_BODY, HUGE_DECLARED_BODY -> {
                    write(
                            out,
                            target,
                            hostility == Hostility.ENDLESS_BODY
                                    ? "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"v\":\""
                                    : "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n{\"v\":\"");
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) '7');
                    for (int i = 0; i < 16 * 1024; i++) { // up to 1 GiB, or until the reader hangs up
                        out.write(chunk);
                        target.written().addAndGet(chunk.length);
                    }
                }
                case REDIRECT_LOOP ->
                    write(
                            out,
                            target,
                            "HTTP/1.1 302 Found\r\nLocation: /health\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                case NOT_A_NUMBER -> json(out, target, "{\"v\":\"abc\",\"status\":\"success\",\"data\":{}}");
                case NAN -> json(out, target, "{\"v\":NaN}");
                case INFINITY -> json(out, target, "{\"v\":1e999}");
                case PROMETHEUS_NAN, PROMETHEUS_INF ->
                    json(
                            out,
                            target,
                            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                                    + "\"value\":[1,\"" + (hostility == Hostility.PROMETHEUS_NAN ? "NaN" : "+Inf")
                                    + "\"]}]},\"v\":\"" + (hostility == Hostility.PROMETHEUS_NAN ? "NaN" : "+Inf")
                                    + "\"}");
            }
        } catch (IOException readerWentAway) {
            target.written().addAndGet(0); // expected: the reader gave up, as it should
        }
    }

    private static void json(OutputStream out, Target target, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        write(
                out,
                target,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static void write(OutputStream out, Target target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        target.written().addAndGet(bytes.length);
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) != -1; ) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Paces the hostile server; ends early when the test is over. */
    private void pause(long millis) {
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitWriterStopped(Target target) {
        org.awaitility.Awaitility.await("the target's writes to stop")
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(new java.util.concurrent.Callable<Boolean>() {
                    long last = -1;

                    @Override
                    public Boolean call() {
                        long now = target.written().get();
                        boolean still = now == last;
                        last = now;
                        return still;
                    }
                });
    }
}
