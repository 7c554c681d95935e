package dev.sluice.k8s;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.k8s.resource.RestoreActionResource;
import dev.sluice.k8s.resource.RestorePlanResource;
import dev.sluice.k8s.resource.RestoreRunResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;

/**
 * The two doors onto one controller, for one contract suite: whatever a test does through one, it
 * can do through the other, and the controller must not be able to tell.
 */
interface Doors {
    /** Stores the plan document (its {@code name} is the plan's name). */
    void storePlan(ObjectNode document);

    /** Starts a run of the plan; returns the run's id. */
    String start(String plan, String reason);

    /** Promotes the run (skips the hold, approves the next stage). */
    void promote(String runId, String reason);

    /** The REST API. */
    final class Rest implements Doors {
        @Override
        public void storePlan(ObjectNode document) {
            given().contentType(ContentType.JSON)
                    .body(document.toString())
                    .post("/api/v1/plans")
                    .then()
                    .statusCode(201);
        }

        @Override
        public String start(String plan, String reason) {
            return given().contentType(ContentType.JSON)
                    .body(Map.of("plan", plan, "reason", reason))
                    .post("/api/v1/runs")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
        }

        @Override
        public void promote(String runId, String reason) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("reason", reason))
                    .post("/api/v1/runs/" + runId + "/promote")
                    .then()
                    .statusCode(200);
        }
    }

    /** RestorePlan, RestoreRun and RestoreAction objects in the (mock) cluster. */
    final class Kubernetes implements Doors {
        private static final Duration CONVERGE = Duration.ofSeconds(20);
        private final KubernetesClient client;
        private int actions;

        Kubernetes(KubernetesClient client) {
            this.client = client;
        }

        @Override
        public void storePlan(ObjectNode document) {
            String name = document.get("name").asText();
            client.resource(K8sObjects.plan(name, document)).create();
            await().atMost(CONVERGE)
                    .until(
                            () -> client.resources(RestorePlanResource.class)
                                    .inNamespace(K8sObjects.NS)
                                    .withName(name)
                                    .get(),
                            p -> p.getStatus() != null
                                    && K8sObjects.condition(p.getStatus().conditions, "Ready")
                                            .map(c -> "True".equals(c.getStatus()))
                                            .orElse(false));
        }

        @Override
        public String start(String plan, String reason) {
            client.resource(K8sObjects.run(plan + "-run", plan, reason)).create();
            return await().atMost(CONVERGE)
                    .until(
                            () -> client.resources(RestoreRunResource.class)
                                    .inNamespace(K8sObjects.NS)
                                    .withName(plan + "-run")
                                    .get(),
                            r -> r.getStatus() != null && r.getStatus().runId != null)
                    .getStatus()
                    .runId;
        }

        @Override
        public void promote(String runId, String reason) {
            String run =
                    client.resources(RestoreRunResource.class).inNamespace(K8sObjects.NS).list().getItems().stream()
                            .filter(r -> r.getStatus() != null && runId.equals(r.getStatus().runId))
                            .findFirst()
                            .orElseThrow()
                            .getMetadata()
                            .getName();
            String name = run + "-promote-" + (++actions);
            client.resource(K8sObjects.action(name, run, "promote", reason)).create();
            await().atMost(CONVERGE)
                    .until(
                            () -> client.resources(RestoreActionResource.class)
                                    .inNamespace(K8sObjects.NS)
                                    .withName(name)
                                    .get(),
                            a -> a.getStatus() != null && "Applied".equals(a.getStatus().phase));
        }
    }
}
