package dev.sluice.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.control.run.RunTicker;
import dev.sluice.notify.delivery.DeliveryWorker;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Notifications under 100 subscriptions, measured, not asserted against a time: a benchmark,
 * outside the suite (neither *Test nor *IT). Run it with
 * {@code ./mvnw -B verify -DskipUnitTests=true -Dit.test=NotifyOutboxBenchmark -Dquarkus.http.test-port=0}
 * and read the {@code notify-bench:} lines.
 *
 * <p>100 subscriptions of one plan to a local JDK HttpServer that verifies every signature; a run
 * of that plan is paused and resumed {@value #TRANSITIONS} times over HTTP while the delivery
 * worker passes back to back (the leader's beat without its period). Reports events/s through the
 * outbox, delivery latency from the pause request sent to the receiver holding the event (an upper
 * bound of commit → received: it includes the pause call itself; a delivery can arrive before the
 * pause's answer does), and the time of a tick of a run with 100 subscriptions against one with none,
 * alternating in the same run.
 */
@QuarkusTest
class NotifyOutboxBenchmark {
    static final int SUBSCRIBERS = 100;
    static final int TRANSITIONS = 30;
    /** Then transitions one at a time, each after the last one's deliveries: latency without a backlog. */
    static final int PACED = 10;

    static final int TICKS = 300;
    private static final Pattern REASON = Pattern.compile("bench-(\\d+)");

    @Inject
    DeliveryWorker worker;

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    @Inject
    EntityManager em;

    @Test
    void hundredSubscriptions() throws Exception {
        String[] secrets = new String[SUBSCRIBERS];
        long[] pauseSentAt = new long[TRANSITIONS + PACED];
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>(); // {transition, nanos}
        AtomicInteger verified = new AtomicInteger();
        AtomicInteger unverified = new AtomicInteger();
        long[] lastReceipt = {0};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.nanoTime();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            int subscriber = Integer.parseInt(exchange.getRequestURI().getPath().substring("/s".length()));
            try {
                boolean ok = NotificationsIT.verifies(secrets[subscriber], new Receiver.Received(headers, body));
                (ok ? verified : unverified).incrementAndGet();
            } catch (Exception e) {
                unverified.incrementAndGet();
            }
            Matcher m = REASON.matcher(body);
            if (m.find()) {
                int k = Integer.parseInt(m.group(1));
                latencies.add(new long[] {k, now - pauseSentAt[k]});
                synchronized (lastReceipt) {
                    lastReceipt[0] = Math.max(lastReceipt[0], now);
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            String loud = RunsOverHttp.storeAndStart(RunPlans.pushPlan("bench-loud"), "bench-loud", "bench");
            String quiet = RunsOverHttp.storeAndStart(RunPlans.pushPlan("bench-quiet"), "bench-quiet", "bench");
            for (int i = 0; i < SUBSCRIBERS; i++) {
                secrets[i] = given().contentType(ContentType.JSON)
                        .body(Map.of("url", base + "/s" + i, "events", List.of("run-paused"), "plan", "bench-loud"))
                        .post(NotificationsIT.SUBSCRIPTIONS)
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("secret");
            }

            // Outbox throughput and delivery latency.
            java.util.concurrent.atomic.AtomicBoolean delivering = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread passes = new Thread(() -> {
                while (delivering.get()) {
                    try {
                        worker.pass().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            passes.start();
            long started = System.nanoTime();
            for (int k = 0; k < TRANSITIONS; k++) {
                pauseSentAt[k] = System.nanoTime(); // before: a delivery may arrive before the answer
                post(loud, "pause", "bench-" + k);
                post(loud, "resume", "resumed " + k);
            }
            // Waiting on real HTTP deliveries, not on a clock.
            org.awaitility.Awaitility.await("every delivery of the burst")
                    .atMost(java.time.Duration.ofSeconds(120))
                    .pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> latencies.size() >= TRANSITIONS * SUBSCRIBERS);
            assertThat(latencies).hasSize(TRANSITIONS * SUBSCRIBERS);
            long[] sorted = latencies.stream().mapToLong(l -> l[1]).sorted().toArray();
            double seconds = (lastReceipt[0] - started) / 1e9;
            for (int k = TRANSITIONS; k < TRANSITIONS + PACED; k++) {
                pauseSentAt[k] = System.nanoTime(); // before: a delivery may arrive before the answer
                post(loud, "pause", "bench-" + k);
                int delivered = (k + 1) * SUBSCRIBERS;
                org.awaitility.Awaitility.await("the deliveries of one pause")
                        .atMost(java.time.Duration.ofSeconds(30))
                        .pollInterval(java.time.Duration.ofMillis(5))
                        .until(() -> latencies.size() >= delivered);
                post(loud, "resume", "resumed " + k);
            }
            delivering.set(false);
            passes.join();
            assertThat(latencies).hasSize((TRANSITIONS + PACED) * SUBSCRIBERS);
            assertThat(unverified.get()).isZero();
            long[] paced = latencies.stream()
                    .filter(l -> l[0] >= TRANSITIONS)
                    .mapToLong(l -> l[1])
                    .sorted()
                    .toArray();
            System.out.printf(
                    Locale.ROOT,
                    "notify-bench: paced, one transition at a time (%d × %d deliveries): latency pause sent → received"
                            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    PACED,
                    SUBSCRIBERS,
                    paced[paced.length / 2] / 1e6,
                    paced[(int) Math.ceil(paced.length * 0.99) - 1] / 1e6,
                    paced[paced.length - 1] / 1e6);
            System.out.printf(
                    Locale.ROOT,
                    "notify-bench: burst, %d subscriptions, %d transitions back to back: %d deliveries (%d signatures"
                            + " verified) in %.2f s: %.0f events/s; latency pause sent → received p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    SUBSCRIBERS,
                    TRANSITIONS,
                    sorted.length,
                    verified.get(),
                    seconds,
                    sorted.length / seconds,
                    sorted[sorted.length / 2] / 1e6,
                    sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                    sorted[sorted.length - 1] / 1e6);

            // Tick cost: the run with 100 subscriptions against the one with none, alternating.
            long eventsBefore = events(loud) + events(quiet);
            long[] loudTicks = new long[TICKS];
            long[] quietTicks = new long[TICKS];
            for (int i = 0; i < TICKS; i++) {
                clock.advanceSeconds(1);
                boolean loudFirst = i % 2 == 0;
                if (loudFirst) {
                    loudTicks[i] = timedTick(loud);
                    quietTicks[i] = timedTick(quiet);
                } else {
                    quietTicks[i] = timedTick(quiet);
                    loudTicks[i] = timedTick(loud);
                }
            }
            long notices = events(loud) + events(quiet) - eventsBefore;
            Arrays.sort(loudTicks);
            Arrays.sort(quietTicks);
            double loudMean = Arrays.stream(loudTicks).average().orElse(0) / 1e3;
            double quietMean = Arrays.stream(quietTicks).average().orElse(0) / 1e3;
            System.out.printf(
                    Locale.ROOT,
                    "notify-bench: %d ticks each (%d notices written by them): 100 subscriptions p50 %.0f µs, mean %.0f µs;"
                            + " none p50 %.0f µs, mean %.0f µs; ratio of means %.2f, of p50s %.2f%n",
                    TICKS,
                    notices,
                    loudTicks[TICKS / 2] / 1e3,
                    loudMean,
                    quietTicks[TICKS / 2] / 1e3,
                    quietMean,
                    loudMean / quietMean,
                    loudTicks[TICKS / 2] / (double) quietTicks[TICKS / 2]);
        } finally {
            server.stop(0);
        }
    }

    private long timedTick(String run) {
        long t = System.nanoTime();
        ticker.tick(run);
        return System.nanoTime() - t;
    }

    private long events(String run) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM notify_event WHERE run_id = ?1")
                                .setParameter(1, run)
                                .getSingleResult())
                        .longValue());
    }

    private static void post(String run, String action, String reason) {
        TestTokens.as(TestTokens.operator("bench-operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post("/api/v1/runs/" + run + "/" + action)
                .then()
                .statusCode(200);
    }
}
