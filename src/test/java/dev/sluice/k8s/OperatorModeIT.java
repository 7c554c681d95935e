package dev.sluice.k8s;

import static dev.sluice.k8s.K8sObjects.NS;
import static dev.sluice.k8s.K8sObjects.condition;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.control.run.RunTicker;
import dev.sluice.k8s.reconcile.RestoreActionReconciler;
import dev.sluice.k8s.resource.RestoreActionResource;
import dev.sluice.k8s.resource.RestorePlanResource;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.PlanDocuments;
import dev.sluice.testing.RunPlans;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Operator mode against fabric8's mock API server (CRUD mode): RestorePlans become stored plans
 * with Valid and Ready conditions; RestoreRuns start runs the REST API shows, and their status
 * follows the runs whichever door acts; RestoreActions apply exactly once or are rejected in the
 * REST API's words; finalizers abort and hold.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
@WithKubernetesTestServer(crud = true)
class OperatorModeIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    RunTicker ticker;

    @Inject
    RestoreActionReconciler actionReconciler;

    @Test
    void aValidPlanIsStoredAndGetsValidTrueAndItsWaves() {
        client.resource(K8sObjects.plan("kv-store-recovery", PlanDocuments.reference("ignored")))
                .create();
        RestorePlanResource rp = awaitPlan(
                "kv-store-recovery",
                p -> p.getStatus() != null
                        && condition(p.getStatus().conditions, "Ready").isPresent());
        assertThat(condition(rp.getStatus().conditions, "Valid"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(condition(rp.getStatus().conditions, "Ready"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(rp.getStatus().services).isEqualTo(18);
        assertThat(rp.getStatus().stages).isEqualTo(6);
        assertThat(rp.getStatus().planVersion).isEqualTo(1);
        assertThat(rp.getStatus().observedGeneration).isEqualTo(rp.getMetadata().getGeneration());
        List<List<String>> restWaves = given().get("/api/v1/plans/kv-store-recovery/order")
                .then()
                .statusCode(200)
                .extract()
                .path("waves.services.name");
        assertThat(rp.getStatus().waves.stream().map(w -> w.services).toList())
                .as("the same waves as the REST API's order")
                .isEqualTo(restWaves);
        assertThat(rp.getStatus().waves.get(2).services).containsExactly("warp", "browser-isolation", "workers-builds");
    }

    @Test
    void anInvalidPlanNamesEveryViolationAndIsNotRetriedUntilItChanges() {
        ObjectNode doc = PlanDocuments.reference("ignored");
        ((ArrayNode) doc.at("/services/2/dependsOn")).set(1, "gatewy");
        ((ArrayNode) doc.at("/services/5/dependsOn")).set(1, "gatewy");
        ((ObjectNode) doc.at("/services/0")).putArray("dependsOn").add("warp");
        client.resource(K8sObjects.plan("broken", doc)).create();
        RestorePlanResource rp = awaitPlan("broken", p -> p.getStatus() != null);
        Condition valid = condition(rp.getStatus().conditions, "Valid").orElseThrow();
        assertThat(valid.getStatus()).isEqualTo("False");
        assertThat(valid.getReason()).isEqualTo("Invalid");
        assertThat(valid.getMessage())
                .startsWith("3 violations: ")
                .contains(
                        "/services/2/dependsOn/1: unknown service \"gatewy\" (did you mean \"gateway\"?) [unknown-service]")
                .contains("/services/5/dependsOn/1")
                .contains("dependency cycle: access -> warp -> access [cycle]");
        assertThat(rp.getStatus().violations)
                .extracting(v -> v.pointer + " " + v.rule)
                .containsExactlyInAnyOrder(
                        "/services/2/dependsOn/1 unknown-service",
                        "/services/5/dependsOn/1 unknown-service",
                        "/services/2/dependsOn/0 cycle");
        given().get("/api/v1/plans/broken").then().statusCode(404);
        String version = rp.getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(
                        () -> client.resources(RestorePlanResource.class)
                                .inNamespace(NS)
                                .withName("broken")
                                .get()
                                .getMetadata()
                                .getResourceVersion(),
                        version::equals);

        ((ArrayNode) doc.at("/services/2/dependsOn")).set(1, "gateway");
        ((ArrayNode) doc.at("/services/5/dependsOn")).set(1, "gateway");
        ((ObjectNode) doc.at("/services/0")).remove("dependsOn");
        RestorePlanResource fixed = client.resources(RestorePlanResource.class)
                .inNamespace(NS)
                .withName("broken")
                .get();
        fixed.setSpec(K8sObjects.plan("broken", doc).getSpec());
        client.resource(fixed).update();
        awaitPlan("broken", p -> Conditions.isTrue(p, "Valid"));
        given().get("/api/v1/plans/broken").then().statusCode(200);
    }

    @Test
    void aRestoreRunStartsTheRunTheRestApiShowsAndActionsApplyOnceOrAreRejectedInItsWords() {
        client.resource(K8sObjects.plan("k8s-push", PlanDocuments.parse(RunPlans.pushPlan("ignored"))))
                .create();
        awaitPlan("k8s-push", p -> Conditions.isTrue(p, "Ready"));
        client.resource(K8sObjects.run("first", "k8s-push", "kv store is back")).create();
        RestoreRunResource rr = awaitRun("first", r -> r.getStatus() != null && r.getStatus().runId != null);
        String runId = rr.getStatus().runId;
        assertThat(rr.getStatus().phase).isEqualTo("Running");
        assertThat(rr.getStatus().stage).isEqualTo("quarter");
        assertThat(rr.getStatus().budgetPerSecond).isEqualTo(100.0);
        given().get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("running"))
                .body("plan", org.hamcrest.Matchers.equalTo("k8s-push"));

        // Ticks (the controller's door) show up in the status within a tick.
        for (int i = 0; i < 8; i++) {
            report(0.0);
            clock.advanceSeconds(1);
            ticker.tick(runId);
        }
        awaitRun("first", r -> "half".equals(r.getStatus().stage));

        act("pause-1", "pause", "checking dashboards");
        assertThat(awaitAction("pause-1").getStatus().phase).isEqualTo("Applied");
        awaitRun(
                "first",
                r -> "Paused".equals(r.getStatus().phase) && Conditions.isTrue(r.getStatus().conditions, "Paused"));
        given().get("/api/v1/runs/" + runId)
                .then()
                .body("pauseReason", org.hamcrest.Matchers.equalTo("checking dashboards"));

        act("promote-paused", "promote", "go");
        RestoreActionResource rejected = awaitAction("promote-paused");
        assertThat(rejected.getStatus().phase).isEqualTo("Rejected");
        assertThat(rejected.getStatus().message).isEqualTo("cannot promote a paused run");

        // A REST action shows up in the RestoreRun's status.
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "dashboards fine"))
                .post("/api/v1/runs/" + runId + "/resume")
                .then()
                .statusCode(200);
        awaitRun("first", r -> "Running".equals(r.getStatus().phase));

        RestoreActionResource pin = K8sObjects.action("pin-b", "first", "set-override", "b is hammering the store");
        pin.getSpec().service = "b";
        pin.getSpec().ratePerSecond = 10.0;
        pin.getSpec().durationSeconds = 600L;
        client.resource(pin).create();
        assertThat(awaitAction("pin-b").getStatus().phase).isEqualTo("Applied");
        awaitRun(
                "first",
                r -> r.getStatus().services.stream()
                        .anyMatch(
                                s -> s.name.equals("b") && Double.valueOf(10.0).equals(s.overridePerSecond)));

        RestoreActionResource unpin = K8sObjects.action("unpin-b", "first", "clear-override", "backlog gone");
        unpin.getSpec().service = "b";
        client.resource(unpin).create();
        assertThat(awaitAction("unpin-b").getStatus().phase).isEqualTo("Applied");
        RestoreActionResource unpinAgain = K8sObjects.action("unpin-b-again", "first", "clear-override", "again");
        unpinAgain.getSpec().service = "b";
        client.resource(unpinAgain).create();
        assertThat(awaitAction("unpin-b-again").getStatus().message).isEqualTo("service b has no override");

        act("no-reason", "step-back", " ");
        assertThat(awaitAction("no-reason").getStatus().message)
                .isEqualTo("/reason: every action needs a reason: reviewers read it after the incident");
        act("bogus", "rewind", "why not");
        assertThat(awaitAction("bogus").getStatus().phase).isEqualTo("Rejected");

        act("promote-1", "promote", "tier looks fine");
        assertThat(awaitAction("promote-1").getStatus().phase).isEqualTo("Applied");
        act("step-back-1", "step-back", "latency creeping up");
        assertThat(awaitAction("step-back-1").getStatus().phase).isEqualTo("Applied");
        awaitRun("first", r -> "quarter".equals(r.getStatus().stage));

        // Applied once: a re-reconcile that has lost the status (a retry, a restart) applies nothing.
        RestoreActionResource again = client.resources(RestoreActionResource.class)
                .inNamespace(NS)
                .withName("step-back-1")
                .get();
        again.setStatus(null);
        actionReconciler.reconcile(again, null);
        actionReconciler.reconcile(again, null);
        List<Map<String, Object>> timeline = given().get("/api/v1/runs/" + runId + "/timeline?limit=100")
                .then()
                .extract()
                .path("$");
        List<Map<String, Object>> stepBacks = timeline.stream()
                .filter(e -> e.get("action").equals("stage-stepped-back"))
                .toList();
        assertThat(stepBacks).hasSize(1);
        Map<String, Object> stepBack = stepBacks.get(0);
        assertThat((String) stepBack.get("actor")).startsWith("unverified:");
        assertThat((String) stepBack.get("details"))
                .contains("\"object\":\"restore/step-back-1\"")
                .contains("\"uid\":\"" + again.getMetadata().getUid() + "\"")
                .contains("\"actorVerified\":false")
                .contains("\"kind\":\"RestoreAction\"");
        assertThat(timeline)
                .filteredOn(e -> e.get("action").equals("run-started"))
                .singleElement()
                .satisfies(e -> assertThat((String) e.get("details")).contains("\"object\":\"restore/first\""));

        act("abort-1", "abort", "giving up for today");
        assertThat(awaitAction("abort-1").getStatus().phase).isEqualTo("Applied");
        awaitRun("first", r -> "Aborted".equals(r.getStatus().phase));
        act("pause-aborted", "pause", "too late");
        assertThat(awaitAction("pause-aborted").getStatus().message).isEqualTo("cannot pause an aborted run");
    }

    private void act(String name, String action, String reason) {
        client.resource(K8sObjects.action(name, "first", action, reason)).create();
    }

    private void report(double errorRatio) {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", errorRatio))
                .post("/api/v1/plans/k8s-push/health-reports")
                .then()
                .statusCode(202);
    }

    private RestorePlanResource awaitPlan(String name, Predicate<RestorePlanResource> until) {
        return await().atMost(CONVERGE)
                .until(
                        () -> client.resources(RestorePlanResource.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        p -> p != null && until.test(p));
    }

    private RestoreRunResource awaitRun(String name, Predicate<RestoreRunResource> until) {
        return await().atMost(CONVERGE)
                .until(
                        () -> client.resources(RestoreRunResource.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        r -> r != null && r.getStatus() != null && until.test(r));
    }

    private RestoreActionResource awaitAction(String name) {
        return await().atMost(CONVERGE)
                .until(
                        () -> client.resources(RestoreActionResource.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        a -> a != null
                                && a.getStatus() != null
                                && !"Pending".equals(a.getStatus().phase)
                                && a.getStatus().phase != null);
    }

    /** Condition checks on resources. */
    static final class Conditions {
        static boolean isTrue(RestorePlanResource p, String type) {
            return p.getStatus() != null && isTrue(p.getStatus().conditions, type);
        }

        static boolean isTrue(List<Condition> conditions, String type) {
            return condition(conditions, type)
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false);
        }
    }
}
