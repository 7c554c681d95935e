package dev.sluice.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.PlanDocuments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference scenario from start to completion through the REST API: its tier is probed over
 * real HTTP (a local server standing in for the key-value store's health endpoint), `access`
 * pushes its own health, and the incident lead approves the last stage.
 */
@QuarkusTest
class ReferenceRunIT {
    @Inject
    RunService runs;

    @Inject
    MutableClock clock;

    @Test
    void referencePlanRestoresEveryServiceInDependencyOrder() throws Exception {
        HttpServer kv = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kv.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        kv.start();
        try {
            String plan = PlanDocuments.referenceJson("reference-run", p -> {
                ArrayNode health = (ArrayNode) p.at("/tier/health");
                ((ObjectNode) health.get(0)).put("url", "http://127.0.0.1:" + kv.getAddress().getPort() + "/healthz");
                health.remove(1); // the Prometheus source: covered by PrometheusSourceIT
            });
            given().contentType(ContentType.JSON).body(plan).post("/api/v1/plans").then().statusCode(201);
            String id = given().contentType(ContentType.JSON)
                    .body(Map.of("plan", "reference-run", "reason", "kv store recovered"))
                    .post("/api/v1/runs").then().statusCode(201).extract().path("id");

            for (int tick = 0; tick < 3000; tick++) {
                if (tick % 5 == 0) { // access's push source goes stale after 30 s
                    given().contentType(ContentType.JSON)
                            .body(Map.of("source", "access-reports", "service", "access", "errorRatio", 0.0))
                            .post("/api/v1/plans/reference-run/health-reports").then().statusCode(202);
                }
                clock.advanceSeconds(1);
                runs.tick(id);
                RunState state = runs.get(id).state();
                if (state.status() == RunStatus.COMPLETED) {
                    break;
                }
                if (state.stage() == 4 && !state.approvedStages().contains("full")) {
                    dev.sluice.testing.TestTokens.as(dev.sluice.testing.TestTokens.operator("incident-lead"))
                            .contentType(ContentType.JSON).body(Map.of("reason", "dashboards green, approve full"))
                            .post("/api/v1/runs/" + id + "/promote").then().statusCode(200);
                }
            }
            given().get("/api/v1/runs/" + id).then().body("status", equalTo("completed"))
                    .body("allocatedPerSecond", equalTo(8900.0f));
            List<Map<String, Object>> timeline = given().get("/api/v1/runs/" + id + "/timeline?limit=100").then()
                    .extract().path("$");
            List<String> restored = timeline.stream().filter(e -> e.get("action").equals("service-restored"))
                    .map(e -> (String) e.get("subject")).toList();
            assertThat(restored).hasSize(18);
            assertThat(restored.indexOf("access")).isLessThan(restored.indexOf("gateway"));
            assertThat(restored.indexOf("gateway")).isLessThan(restored.indexOf("warp"));
            assertThat(restored.indexOf("pages")).isLessThan(restored.indexOf("workers-builds"));
            List<Map<String, Object>> advances = timeline.stream()
                    .filter(e -> e.get("action").equals("stage-advanced")).toList();
            assertThat(advances).hasSize(5).allSatisfy(e -> {
                assertThat((String) e.get("reason")).contains("gates passed");
                assertThat((String) e.get("details")).contains("tier-errors").contains("GREEN");
            });
            assertThat(timeline).anySatisfy(e -> {
                assertThat(e.get("action")).isEqualTo("stage-promoted");
                assertThat(e.get("actor")).isEqualTo("incident-lead");
            });
        } finally {
            kv.stop(0);
        }
    }
}
