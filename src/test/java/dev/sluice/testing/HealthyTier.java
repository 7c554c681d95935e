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
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz";
    }

    /**
     * Stores the reference plan as {@code planName}, its tier probed here (its Prometheus source
     * removed: PrometheusSourceIT covers that), and starts a run of it. Returns the run id.
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
        ((ObjectNode) health.get(0)).put("url", url());
        health.remove(1);
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
