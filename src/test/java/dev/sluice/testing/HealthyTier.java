package dev.sluice.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A local HTTP health endpoint that always answers 200, standing in for the reference plan's
 * key-value store, and the reference plan pointed at it and started.
 */
public final class HealthyTier implements AutoCloseable {
    private final HttpServer server;

    public HealthyTier() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/metrics", exchange -> {
            byte[] body = METRICS.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz";
    }

    /** A warm cache: its cold-read counter does not move, so the cache-refill gate reads 0/s. */
    private static final String METRICS = "# TYPE kv_cache_cold_reads_total counter\nkv_cache_cold_reads_total 1234\n";

    /**
     * Stores the reference plan as {@code planName}, its tier probed and scraped here (its Prometheus
     * source removed: PrometheusSourceIT covers that), and starts a run of it. Returns the run id.
     */
    public String startReferenceRun(String planName, String reason) {
        String plan = referencePlan(planName).toString();
        given().contentType(ContentType.JSON)
                .body(plan)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        return given().contentType(ContentType.JSON)
                .body(Map.of("plan", planName, "reason", reason))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The reference plan named {@code planName}, its tier probed here, its Prometheus source removed. */
    public ObjectNode referencePlan(String planName) {
        ObjectNode p = PlanDocuments.reference(planName);
        ArrayNode health = (ArrayNode) p.at("/tier/health");
        for (int i = health.size() - 1; i >= 0; i--) {
            ObjectNode source = (ObjectNode) health.get(i);
            switch (source.path("kind").asText()) {
                case "http" -> source.put("url", url());
                case "scrape" -> source.put("url", url().replace("/healthz", "/metrics"));
                default -> health.remove(i);
            }
        }
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
