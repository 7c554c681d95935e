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

    @Inject
    dev.sluice.control.store.RunStore runs;

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
        String details = given().get("/api/v1/audit?plan=kv-store-recovery&action=plan-created")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].details");
        assertThat(details)
                .as("the plan's audit event names the object it came from")
                .contains("\"object\":\"" + K8sObjects.NS + "/kv-store-recovery\"")
                .contains("\"uid\":\"" + rp.getMetadata().getUid() + "\"")
                .contains("\"kind\":\"RestorePlan\"");
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
        Walkthrough.save("restorerun-half", awaitRun("first", r -> "half".equals(r.getStatus().stage)));

        act("pause-1", "pause", "checking dashboards");
        assertThat(awaitAction("pause-1").getStatus().phase).isEqualTo("Applied");
        awaitRun(
                "first",
                r -> "Paused".equals(r.getStatus().phase) && Conditions.isTrue(r.getStatus().conditions, "Paused"));
        given().get("/api/v1/runs/" + runId)
                .then()
                .body("pauseReason", org.hamcrest.Matchers.equalTo("checking dashboards"));

        Walkthrough.save("restorerun-paused", awaitRun("first", r -> "Paused".equals(r.getStatus().phase)));
        Walkthrough.save("restoreaction-applied", awaitAction("pause-1"));
        act("promote-paused", "promote", "go");
        RestoreActionResource rejected = awaitAction("promote-paused");
        Walkthrough.save("restoreaction-rejected", rejected);
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

    @Test
    void deletingARestoreRunAbortsItsRunAndAPlanWithAnActiveRunIsHeldUntilTheRunEnds() {
        client.resource(K8sObjects.plan("held", PlanDocuments.parse(RunPlans.pushPlan("ignored"))))
                .create();
        awaitPlan("held", p -> Conditions.isTrue(p, "Ready"));
        client.resource(K8sObjects.run("held-run", "held", "kv store is back")).create();
        String runId = awaitRun("held-run", r -> r.getStatus().runId != null).getStatus().runId;

        // The plan's finalizer holds its deletion while the run is active, and says why.
        client.resources(RestorePlanResource.class)
                .inNamespace(NS)
                .withName("held")
                .delete();
        RestorePlanResource held = awaitPlan(
                "held",
                p -> condition(p.getStatus().conditions, "Ready")
                        .map(c -> "DeletionHeld".equals(c.getReason()))
                        .orElse(false));
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(condition(held.getStatus().conditions, "Ready").orElseThrow().getMessage())
                .contains("run " + runId + " of this plan is active");
        given().get("/api/v1/plans/held").then().statusCode(200);

        // Deleting the RestoreRun aborts its run (frozen at the floor), records it, then releases it.
        client.resources(RestoreRunResource.class)
                .inNamespace(NS)
                .withName("held-run")
                .delete();
        await().atMost(CONVERGE)
                .until(() -> client.resources(RestoreRunResource.class)
                                .inNamespace(NS)
                                .withName("held-run")
                                .get()
                        == null);
        given().get("/api/v1/runs/" + runId)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("aborted"))
                .body("services.find { it.name == 'b' }.allocationPerSecond", org.hamcrest.Matchers.equalTo(0.0f));
        List<Map<String, Object>> timeline = given().get("/api/v1/runs/" + runId + "/timeline?limit=100")
                .then()
                .extract()
                .path("$");
        assertThat(timeline)
                .filteredOn(e -> e.get("action").equals("run-aborted"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("actor")).isEqualTo("unverified:kubernetes-deletion");
                    assertThat((String) e.get("reason")).contains("RestoreRun restore/held-run was deleted");
                    assertThat((String) e.get("details")).contains("\"event\":\"deleted\"");
                });

        // The run has ended: the held plan is deleted, from the store too.
        await().atMost(CONVERGE)
                .until(() -> client.resources(RestorePlanResource.class)
                                .inNamespace(NS)
                                .withName("held")
                                .get()
                        == null);
        given().get("/api/v1/plans/held").then().statusCode(404);
    }

    @Test
    void aRunThatCannotStartFailsForGoodWithTheRestApisWordsAndOneWithoutItsPlanWaits() {
        client.resource(K8sObjects.plan("busy", PlanDocuments.parse(RunPlans.pushPlan("ignored"))))
                .create();
        awaitPlan("busy", p -> Conditions.isTrue(p, "Ready"));
        client.resource(K8sObjects.run("busy-1", "busy", "first")).create();
        String runId = awaitRun("busy-1", r -> r.getStatus().runId != null).getStatus().runId;
        client.resource(K8sObjects.run("busy-2", "busy", "second")).create();
        RestoreRunResource second = awaitRun("busy-2", r -> "Failed".equals(r.getStatus().phase));
        assertThat(second.getStatus().message).isEqualTo("plan busy already has an active run (" + runId + ")");

        client.resource(K8sObjects.run("orphan", "not-yet", "plan comes later")).create();
        RestoreRunResource orphan = awaitRun("orphan", r -> "Pending".equals(r.getStatus().phase));
        assertThat(orphan.getStatus().message).contains("waiting for RestorePlan not-yet in namespace restore");
        client.resource(K8sObjects.plan("not-yet", PlanDocuments.parse(RunPlans.pushPlan("ignored"))))
                .create();
        awaitRun("orphan", r -> "Running".equals(r.getStatus().phase));
    }

    @Test
    void theWebhookStampsTheRequestingUserSignedAndTheAuditNamesThem() throws Exception {
        String review = admissionReview("CREATE", "RestoreAction", "stamped", null);
        io.restassured.response.Response answer =
                given().contentType(ContentType.JSON).body(review).post("/k8s/admission");
        answer.then()
                .statusCode(200)
                .body("kind", org.hamcrest.Matchers.equalTo("AdmissionReview"))
                .body("response.uid", org.hamcrest.Matchers.equalTo("review-1"))
                .body("response.allowed", org.hamcrest.Matchers.equalTo(true))
                .body("response.patchType", org.hamcrest.Matchers.equalTo("JSONPatch"));
        com.fasterxml.jackson.databind.JsonNode patch = PlanDocuments.parse(new String(
                java.util.Base64.getDecoder()
                        .decode(answer.path("response.patch").toString()),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(patch.get(0).get("op").asText()).isEqualTo("add");
        assertThat(patch.get(0).get("path").asText()).isEqualTo("/metadata/annotations");
        com.fasterxml.jackson.databind.JsonNode stamp = patch.get(0).get("value");
        assertThat(stamp.get("sluice.dev/requested-by").asText()).isEqualTo("alice");
        assertThat(stamp.get("sluice.dev/requested-by-groups").asText()).isEqualTo("oncall,system:authenticated");

        // The API server applies the patch; the stamped action is attributed to alice.
        client.resource(K8sObjects.plan("stamped-plan", PlanDocuments.parse(RunPlans.pushPlan("ignored"))))
                .create();
        awaitPlan("stamped-plan", p -> Conditions.isTrue(p, "Ready"));
        client.resource(K8sObjects.run("stamped-run", "stamped-plan", "go")).create();
        String runId = awaitRun("stamped-run", r -> r.getStatus().runId != null).getStatus().runId;
        RestoreActionResource action = K8sObjects.action("stamped", "stamped-run", "pause", "alice looks");
        Map<String, String> annotations = new java.util.HashMap<>();
        stamp.fields()
                .forEachRemaining(f -> annotations.put(f.getKey(), f.getValue().asText()));
        action.getMetadata().setAnnotations(annotations);
        client.resource(action).create();
        assertThat(awaitAction("stamped").getStatus().actor).isEqualTo("alice");
        // A stamp written by hand (no valid signature) is not believed.
        RestoreActionResource forged = K8sObjects.action("forged", "stamped-run", "resume", "mallory says");
        forged.getMetadata().setAnnotations(Map.of("sluice.dev/requested-by", "alice", "sluice.dev/attribution", "x"));
        client.resource(forged).create();
        assertThat(awaitAction("forged").getStatus().actor).startsWith("unverified:");
        List<Map<String, Object>> timeline = given().get("/api/v1/runs/" + runId + "/timeline?limit=100")
                .then()
                .extract()
                .path("$");
        assertThat(timeline)
                .filteredOn(e -> e.get("action").equals("run-paused"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("actor")).isEqualTo("alice");
                    assertThat((String) e.get("details"))
                            .contains("\"actorVerified\":true")
                            .contains("\"groups\":[\"oncall\",\"system:authenticated\"]");
                });
        assertThat(timeline)
                .filteredOn(e -> e.get("action").equals("run-resumed"))
                .singleElement()
                .satisfies(e -> assertThat((String) e.get("details")).contains("\"claimedRequestedBy\":\"alice\""));
    }

    @Test
    void anUpdateKeepsTheCreatorsStampAndOtherKindsPassUntouched() {
        String old = "{\"metadata\":{\"name\":\"a1\",\"namespace\":\"restore\",\"annotations\":"
                + "{\"sluice.dev/requested-by\":\"alice\",\"sluice.dev/requested-by-groups\":\"\","
                + "\"sluice.dev/attribution\":\"sig\"}}}";
        String review = admissionReview(
                "UPDATE", "RestoreAction", "a1", old, ", \"annotations\": {\"sluice.dev/requested-by\": \"mallory\"}");
        io.restassured.response.Response answer =
                given().contentType(ContentType.JSON).body(review).post("/k8s/admission");
        answer.then().statusCode(200).body("response.allowed", org.hamcrest.Matchers.equalTo(true));
        String patch = new String(
                java.util.Base64.getDecoder()
                        .decode(answer.path("response.patch").toString()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(patch)
                .contains(
                        "{\"op\":\"add\",\"path\":\"/metadata/annotations/sluice.dev~1requested-by\",\"value\":\"alice\"}");

        given().contentType(ContentType.JSON)
                .body(admissionReview("CREATE", "ConfigMap", "cm", null))
                .post("/k8s/admission")
                .then()
                .statusCode(200)
                .body("response.allowed", org.hamcrest.Matchers.equalTo(true))
                .body("response.patch", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aMalformedAdmissionReviewIsABadRequestThatSaysWhy() {
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"AdmissionReview\",\"request\":{}}")
                .post("/k8s/admission")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("urn:sluice:problem:malformed-admission-review"))
                .body("detail", org.hamcrest.Matchers.containsString("request.uid"));
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/k8s/admission")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("not JSON"));
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"Pod\"}")
                .post("/k8s/admission")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("not an AdmissionReview"));
    }

    /** An AdmissionReview as the API server sends it (admission.k8s.io/v1). */
    private static String admissionReview(String operation, String kind, String name, String oldObject) {
        return admissionReview(operation, kind, name, oldObject, "");
    }

    private static String admissionReview(
            String operation, String kind, String name, String oldObject, String annotations) {
        return """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {"uid": "review-1",
                   "kind": {"group": "sluice.dev", "version": "v1alpha1", "kind": "%s"},
                   "resource": {"group": "sluice.dev", "version": "v1alpha1", "resource": "restoreactions"},
                   "namespace": "restore", "name": "%s", "operation": "%s",
                   "userInfo": {"username": "alice", "uid": "u-1", "groups": ["oncall", "system:authenticated"]},
                   "object": {"apiVersion": "sluice.dev/v1alpha1", "kind": "%s",
                              "metadata": {"name": "%s", "namespace": "restore"%s},
                              "spec": {"runRef": "stamped-run", "action": "pause", "reason": "alice looks"}},
                   "oldObject": %s,
                   "dryRun": false}}
                """.formatted(kind, name, operation, kind, name, annotations, oldObject == null ? "null" : oldObject);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReferencePlanRestoresAlikeThroughBothDoors() {
        {
            Doors rest = new Doors.Rest();
            Doors k8s = new Doors.Kubernetes(client);
            Map<Doors, String> plans = Map.of(rest, "ref-rest", k8s, "ref-k8s");
            Map<Doors, String> runIds = new java.util.LinkedHashMap<>();
            for (Doors door : List.of(rest, k8s)) {
                ObjectNode plan = PlanDocuments.reference(plans.get(door));
                ((ObjectNode) plan.get("tier"))
                        .putArray("health")
                        .addObject()
                        .put("name", "kv-reports")
                        .put("kind", "push")
                        .put("staleAfterSeconds", 30);
                // Pushed health only, the same for both doors: the cache-refill gate reads a scraped
                // source, which pushed reports cannot feed.
                com.fasterxml.jackson.databind.node.ArrayNode gates =
                        (com.fasterxml.jackson.databind.node.ArrayNode) plan.get("gates");
                for (int g = gates.size() - 1; g >= 0; g--) {
                    if ("metric".equals(gates.get(g).path("kind").asText())) {
                        gates.remove(g);
                    }
                }
                door.storePlan(plan);
            }
            for (Doors door : List.of(rest, k8s)) {
                runIds.put(door, door.start(plans.get(door), "kv store recovered"));
            }
            Map<Doors, List<Map<String, Double>>> allocations = new java.util.HashMap<>();
            for (int tick = 0; tick < 3000; tick++) {
                boolean done = true;
                for (Doors door : List.of(rest, k8s)) {
                    String id = runIds.get(door);
                    // Pushed health, the same for both runs (a probe's measured latency would differ).
                    given().contentType(ContentType.JSON)
                            .body(Map.of("source", "kv-reports", "errorRatio", 0.0, "latencyMillis", 20.0))
                            .post("/api/v1/plans/" + plans.get(door) + "/health-reports")
                            .then()
                            .statusCode(202);
                    if (tick % 5 == 0) {
                        given().contentType(ContentType.JSON)
                                .body(Map.of("source", "access-reports", "service", "access", "errorRatio", 0.0))
                                .post("/api/v1/plans/" + plans.get(door) + "/health-reports")
                                .then()
                                .statusCode(202);
                    }
                    dev.sluice.control.RunState state = runs.get(id).state();
                    if (state.status() != dev.sluice.control.RunStatus.COMPLETED) {
                        done = false;
                        if (state.stage() == 4 && !state.approvedStages().contains("full")) {
                            door.promote(id, "dashboards green, approve full");
                        }
                    }
                }
                if (done) {
                    break;
                }
                clock.advanceSeconds(1);
                for (Doors door : List.of(rest, k8s)) {
                    ticker.tick(runIds.get(door));
                    java.util.Map<String, Double> byService = new java.util.TreeMap<>();
                    runs.get(runIds.get(door))
                            .state()
                            .services()
                            .forEach((n, r) -> byService.put(n, r.allocationPerSecond()));
                    allocations
                            .computeIfAbsent(door, d -> new java.util.ArrayList<>())
                            .add(byService);
                }
            }
            assertThat(allocations.get(k8s))
                    .as("the same allocations, tick by tick, whichever door started and promoted the run")
                    .isEqualTo(allocations.get(rest));
            for (Doors door : List.of(rest, k8s)) {
                List<String> restored = ((List<Map<String, Object>>)
                                given().get("/api/v1/runs/" + runIds.get(door) + "/timeline?limit=100")
                                        .then()
                                        .extract()
                                        .path("$"))
                        .stream()
                                .filter(e -> e.get("action").equals("service-restored"))
                                .map(e -> (String) e.get("subject"))
                                .toList();
                assertThat(restored).hasSize(18);
                assertThat(restored.indexOf("access")).isLessThan(restored.indexOf("gateway"));
                assertThat(restored.indexOf("gateway")).isLessThan(restored.indexOf("warp"));
                assertThat(restored.indexOf("pages")).isLessThan(restored.indexOf("workers-builds"));
            }
            RestoreRunResource done = awaitRun("ref-k8s-run", r -> "Completed".equals(r.getStatus().phase));
            assertThat(done.getStatus().allocatedPerSecond).isEqualTo(8900.0);
            assertThat(Conditions.isTrue(done.getStatus().conditions, "Completed"))
                    .isTrue();
            assertThat(done.getStatus().services)
                    .allSatisfy(svc -> assertThat(svc.status).isEqualTo("restored"));
        }
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
