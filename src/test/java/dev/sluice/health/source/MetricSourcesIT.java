package dev.sluice.health.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.control.run.RunTicker;
import dev.sluice.health.HealthSample;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.ScrapeMeasure;
import dev.sluice.plan.Signal;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunsOverHttp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The json and scrape health sources against a real local HTTP server — a tier's own JSON stats and
 * {@code /metrics} — including hostile answers (slow, dripping, huge, garbage), and runs gated on
 * what they read. The application's clock is moved by hand between ticks.
 */
@QuarkusTest
class MetricSourcesIT {
    private static final long TIMEOUT_MILLIS = 300;

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    @Inject
    HealthSourceReader reader;

    private HttpServer tier;
    private final AtomicReference<String> stats = new AtomicReference<>("{\"queue\": {\"depth\": 10}}");
    private final AtomicLong requests = new AtomicLong(10_000);
    private final AtomicLong errors = new AtomicLong(5);
    private final AtomicLong errorsPerScrape = new AtomicLong(0);
    private final CountDownLatch released = new CountDownLatch(1);

    @BeforeEach
    void startTier() throws IOException {
        tier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tier.setExecutor(Executors.newCachedThreadPool());
        tier.createContext("/stats", exchange -> answer(exchange, stats.get()));
        tier.createContext("/metrics", exchange -> {
            // Each scrape sees 100 more requests, errorsPerScrape of them failed.
            long failed = errors.addAndGet(errorsPerScrape.get());
            long total = requests.addAndGet(100);
            answer(exchange, """
                    # HELP http_requests_total Requests served.
                    # TYPE http_requests_total counter
                    http_requests_total{code="200",route="/get"} %d
                    http_requests_total{code="503",route="/get"} %d
                    # TYPE kv_cache_cold_reads_total counter
                    kv_cache_cold_reads_total %d
                    """.formatted(total - failed, failed, total / 10));
        });
        tier.createContext("/slow", exchange -> {
            await(3);
            answer(exchange, "{\"v\": 1}");
        });
        tier.createContext("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"v\": ".getBytes(StandardCharsets.UTF_8));
                // A byte every 100 ms until the test is over: the pause is the latch's timeout, so the
                // server stops dripping the moment the test releases it.
                for (int i = 0; i < 30 && !released.await(100, java.util.concurrent.TimeUnit.MILLISECONDS); i++) {
                    out.write(' ');
                    out.flush();
                }
                out.write("1}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException clientWentAway) {
                // expected: the reader gave up
            }
        });
        tier.createContext("/huge", exchange -> huge(exchange, true));
        tier.createContext("/huge-chunked", exchange -> huge(exchange, false));
        tier.createContext("/garbage", exchange -> answer(exchange, "<html><body>502 Bad Gateway</body></html>"));
        tier.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        tier.start();
    }

    @AfterEach
    void stopTier() {
        released.countDown();
        tier.stop(0);
    }

    @Test
    void aJsonSourceReadsTheNumberAtItsPointer() {
        HealthSample s = read("json-ok", json("/stats", "/queue/depth"));
        assertThat(s.readable()).as(s.problem()).isTrue();
        assertThat(s.value()).isEqualTo(10.0);
    }

    @Test
    void aScrapeSourceMeasuresAnErrorRatioFromCounterIncreasesBetweenScrapes() {
        errorsPerScrape.set(4);
        HealthSource h = scrape(
                ScrapeMeasure.RATIO, "http_requests_total{code=~\"5..\"}", "http_requests_total", Signal.ERROR_RATIO);
        HealthSample first = read("scrape-ratio", h);
        assertThat(first.readable()).isFalse();
        assertThat(first.problem()).startsWith("first scrape");
        clock.advanceSeconds(1);
        HealthSample second = read("scrape-ratio", h);
        assertThat(second.errorRatio()).isEqualTo(0.04);
    }

    @Test
    void aScrapeSourceMeasuresACountersRatePerSecond() {
        HealthSource h = scrape(ScrapeMeasure.RATE, "kv_cache_cold_reads_total", null, Signal.METRIC);
        read("scrape-rate", h);
        clock.advanceSeconds(2);
        assertThat(read("scrape-rate", h).value()).isEqualTo(5.0); // 10 cold reads per scrape, over 2 s
    }

    @Test
    void aSlowAnswerIsUnknownWithinTheTimeout() {
        long started = System.nanoTime();
        HealthSample s = read("json-slow", json("/slow", "/v"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(s.readable()).isFalse();
        assertThat(s.problem()).isEqualTo("timed out");
        assertThat(millis).as("gave up near the source's timeout").isLessThan(TIMEOUT_MILLIS + 1500);
    }

    @Test
    void aBodyThatDripsIsCutOffAtTheTimeout() {
        long started = System.nanoTime();
        HealthSample s = read("json-drip", json("/drip", "/v"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(s.readable()).isFalse();
        assertThat(s.problem()).isEqualTo("timed out");
        assertThat(millis).isLessThan(TIMEOUT_MILLIS + 1500);
    }

    @Test
    void aHugeAnswerIsRefusedWhetherItsLengthIsDeclaredOrNot() {
        HealthSample declared = read("json-huge", json("/huge", "/v"));
        assertThat(declared.readable()).isFalse();
        assertThat(declared.problem())
                .isEqualTo("answer larger than " + HealthSourceReader.MAX_ANSWER_BYTES + " bytes");
        HealthSample chunked = read("json-huge-chunked", json("/huge-chunked", "/v"));
        assertThat(chunked.readable()).isFalse();
        assertThat(chunked.problem()).isEqualTo("answer larger than " + HealthSourceReader.MAX_ANSWER_BYTES + " bytes");
        HealthSample exposition = read(
                "scrape-huge",
                scrape(ScrapeMeasure.GAUGE, "m", null, Signal.METRIC).withUrl(url("/huge")));
        assertThat(exposition.problem())
                .isEqualTo("answer larger than " + HealthSourceReader.MAX_EXPOSITION_BYTES + " bytes");
    }

    @Test
    void garbageAndFailuresAreUnknownWithAReason() {
        assertThat(read("json-garbage", json("/garbage", "/v")).problem()).startsWith("answer is not JSON");
        stats.set("{\"queue\": {\"depth\": \"many\"}}");
        assertThat(read("json-text", json("/stats", "/queue/depth")).problem())
                .isEqualTo("/queue/depth is \"many\", not a number");
        assertThat(read("json-missing", json("/stats", "/queue/length")).problem())
                .isEqualTo("no value at /queue/length");
        assertThat(read(
                                "scrape-garbage",
                                scrape(ScrapeMeasure.GAUGE, "m", null, Signal.METRIC)
                                        .withUrl(url("/garbage")))
                        .problem())
                .isEqualTo("no metric m in the exposition");
        assertThat(read("json-down", json("/down", "/v")).problem()).isEqualTo("IOException: target answered 503");
    }

    @Test
    void aRunAdvancesOnAMetricGateAndStepsBackWhenTheValueLeavesItsRange() {
        String id = startRun("metric-run");
        ticks(id, 8);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("half"))
                .body("gates.find { it.name == 'queue-depth' }.reading.detail", containsString("queue 10 <= 1000"));

        stats.set("{\"queue\": {\"depth\": 5000}}");
        ticks(id, 2);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("> max 1000"));
    }

    @Test
    void aRunStepsBackWhenTheScrapedErrorRatioRises() {
        String id = startRun("scrape-run");
        ticks(id, 8);
        given().get("/api/v1/runs/" + id).then().body("stage.name", equalTo("half"));

        errorsPerScrape.set(30);
        ticks(id, 3);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("tier-errors"));
    }

    private String startRun(String plan) {
        String base = "http://127.0.0.1:" + tier.getAddress().getPort();
        String body = """
                {"name": "%s",
                 "tier": {"name": "kv", "capacityPerSecond": 400,
                          "health": [
                            {"name": "errors", "kind": "scrape", "url": "%s/metrics",
                             "metric": "http_requests_total{code=~\\"5..\\"}", "measure": "ratio",
                             "totalMetric": "http_requests_total", "signal": "error-ratio", "timeoutMillis": 500},
                            {"name": "queue", "kind": "json", "url": "%s/stats", "pointer": "/queue/depth",
                             "signal": "metric", "timeoutMillis": 500}]},
                 "services": [{"name": "a", "demandPerSecond": 100}],
                 "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 5},
                            {"name": "half", "share": 0.5, "holdSeconds": 5},
                            {"name": "full", "share": 1.0, "holdSeconds": 5}],
                 "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                            "windowSeconds": 3, "greenSamples": 2, "redSamples": 2},
                           {"name": "queue-depth", "kind": "metric", "source": "queue", "max": 1000,
                            "windowSeconds": 3, "greenSamples": 2, "redSamples": 2}]}
                """.formatted(plan, base, base);
        return RunsOverHttp.storeAndStart(body, plan, "metric sources test");
    }

    private void ticks(String id, int count) {
        RunsOverHttp.tickSeconds(clock, ticker, id, count);
    }

    private HealthSample read(String plan, HealthSource h) {
        return reader.readOne(plan, "tier/" + h.name(), h, clock.instant());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + tier.getAddress().getPort() + path;
    }

    private HealthSource json(String path, String pointer) {
        return new HealthSource(
                "s",
                HealthSourceKind.JSON,
                url(path),
                null,
                null,
                TIMEOUT_MILLIS,
                null,
                Signal.METRIC,
                null,
                pointer,
                null,
                null,
                null);
    }

    private HealthSource scrape(ScrapeMeasure measure, String metric, String total, Signal signal) {
        return new HealthSource(
                "s",
                HealthSourceKind.SCRAPE,
                url("/metrics"),
                null,
                null,
                TIMEOUT_MILLIS,
                null,
                signal,
                null,
                null,
                metric,
                measure,
                total);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void huge(HttpExchange exchange, boolean declareLength) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) '7');
        int chunks = 16 * 16; // 16 MiB
        try {
            exchange.sendResponseHeaders(200, declareLength ? (long) chunk.length * chunks : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < chunks; i++) {
                    out.write(chunk);
                }
            }
        } catch (IOException clientWentAway) {
            // expected: the reader stopped reading
        }
    }

    private void await(int seconds) {
        try {
            released.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
