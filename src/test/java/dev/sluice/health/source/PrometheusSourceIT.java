package dev.sluice.health.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.control.run.RunTicker;
import dev.sluice.health.HealthSample;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunsOverHttp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus health source against a real Prometheus server (Debian package {@code prometheus};
 * CI installs it, and the test is skipped with a message where it is absent). Prometheus scrapes a
 * metric this test serves and controls.
 */
@QuarkusTest
class PrometheusSourceIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicReference<String> errorRatio = new AtomicReference<>("0.01");
    private static final AtomicReference<String> queueDepth = new AtomicReference<>("12");
    private static HttpServer exporter;
    private static Process prometheus;
    private static String prometheusUrl;

    @Inject
    RunTicker ticker;

    @Inject
    MutableClock clock;

    @BeforeAll
    static void startPrometheus() throws Exception {
        Path binary = Path.of(System.getProperty("sluice.test.prometheus", "/usr/bin/prometheus"));
        assumeTrue(Files.isExecutable(binary), "Prometheus is not installed (apt-get install prometheus); skipping");
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE kv_error_ratio gauge\nkv_error_ratio " + errorRatio.get() + "\n"
                            + "# TYPE kv_queue_depth gauge\nkv_queue_depth " + queueDepth.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        exporter.start();
        Path dir = Files.createTempDirectory("sluice-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: kv
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(exporter.getAddress().getPort()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        prometheusUrl = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        awaitValue("max(kv_error_ratio)", "0.01");
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    @Test
    void rampFollowsAnErrorRatioReadFromPrometheus() throws Exception {
        String plan = """
                {"name": "prom-run",
                 "tier": {"name": "kv", "capacityPerSecond": 400,
                          "health": [{"name": "errors", "kind": "prometheus", "url": "%s",
                                      "query": "max(kv_error_ratio)", "signal": "error-ratio"}]},
                 "services": [{"name": "a", "demandPerSecond": 100}],
                 "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 5},
                            {"name": "half", "share": 0.5, "holdSeconds": 5},
                            {"name": "full", "share": 1.0, "holdSeconds": 5}],
                 "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                            "windowSeconds": 3, "greenSamples": 2, "redSamples": 2}]}
                """.formatted(prometheusUrl);
        String id = RunsOverHttp.storeAndStart(plan, "prom-run", "prometheus test");

        ticks(id, 6);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("half"))
                .body("gates[0].reading.value", equalTo(0.01f));

        errorRatio.set("0.5");
        awaitValue("max(kv_error_ratio)", "0.5");
        ticks(id, 2);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("> 0.0500"));
    }

    @Test
    void aMetricGateFollowsAnyQuerysValue() {
        String plan = """
                {"name": "prom-metric",
                 "tier": {"name": "kv", "capacityPerSecond": 400,
                          "health": [{"name": "queue", "kind": "prometheus", "url": "%s",
                                      "query": "max(kv_queue_depth)", "signal": "metric"}]},
                 "services": [{"name": "a", "demandPerSecond": 100}],
                 "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 5},
                            {"name": "half", "share": 0.5, "holdSeconds": 5},
                            {"name": "full", "share": 1.0, "holdSeconds": 5}],
                 "gates": [{"name": "queue-depth", "kind": "metric", "source": "queue", "min": 0, "max": 100,
                            "windowSeconds": 3, "greenSamples": 2, "redSamples": 2}]}
                """.formatted(prometheusUrl);
        String id = RunsOverHttp.storeAndStart(plan, "prom-metric", "prometheus metric gate test");
        awaitValue("max(kv_queue_depth)", "12");

        ticks(id, 6);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("half"))
                .body("gates[0].reading.value", equalTo(12.0f))
                .body("gates[0].reading.detail", containsString("queue 12 within [0, 100]"));

        queueDepth.set("4000");
        awaitValue("max(kv_queue_depth)", "4000");
        ticks(id, 2);
        given().get("/api/v1/runs/" + id)
                .then()
                .body("stage.name", equalTo("quarter"))
                .body("timeline.find { it.action == 'stage-stepped-back' }.reason", containsString("> max 100"));
    }

    @Inject
    HealthSourceReader reader;

    @Test
    void aQueryWithoutDataOrAnInvalidQueryIsUnreadable() {
        HealthSample none = reader.readOne("prom-none", "tier/errors", source("absent_metric_name"), clock.instant());
        assertThat(none.readable()).isFalse();
        assertThat(none.problem()).isEqualTo("query returned no value");
        HealthSample bad = reader.readOne("prom-bad", "tier/errors", source("sum(("), clock.instant());
        assertThat(bad.readable()).isFalse();
        assertThat(bad.problem()).contains("Prometheus answered 400");
    }

    private static dev.sluice.plan.HealthSource source(String query) {
        return new dev.sluice.plan.HealthSource(
                "errors",
                dev.sluice.plan.HealthSourceKind.PROMETHEUS,
                prometheusUrl,
                null,
                null,
                2000L,
                query,
                dev.sluice.plan.Signal.ERROR_RATIO,
                null);
    }

    private void ticks(String id, int count) {
        RunsOverHttp.tickSeconds(clock, ticker, id, count);
    }

    /** Waits until Prometheus has scraped the value (it scrapes every second). */
    private static void awaitValue(String promql, String expected) {
        URI query =
                URI.create(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        Awaitility.await("Prometheus reports " + promql + " = " + expected)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return HTTP.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString())
                                .body()
                                .contains("\"" + expected + "\"");
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                });
    }
}
