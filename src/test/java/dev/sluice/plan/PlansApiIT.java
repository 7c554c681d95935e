package dev.sluice.plan;

import static dev.sluice.testing.PlanDocuments.arrayAt;
import static dev.sluice.testing.PlanDocuments.at;
import static dev.sluice.testing.PlanDocuments.referenceJson;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.PlanDocuments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class PlansApiIT {
    private static final String PLANS = "/api/v1/plans";
    private static final String PROBLEM = "application/problem+json";

    @Test
    void createsTheReferencePlanFromYamlAndReadsItBack() {
        String yaml = PlanDocuments.referenceYaml().replace("name: kv-store-recovery", "name: ref-yaml");
        given().contentType("application/yaml")
                .body(utf8(yaml))
                .when()
                .post(PLANS)
                .then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/plans/ref-yaml"))
                .header("ETag", "\"1\"")
                .body("name", equalTo("ref-yaml"))
                .body("version", equalTo(1))
                .body("spec.services", hasSize(18))
                .body("spec.policy.onGateFailure", equalTo("step-back"));

        given().when()
                .get(PLANS + "/ref-yaml")
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("spec.tier.capacityPerSecond", equalTo(10000.0f))
                .body("spec.stages.name", contains("trickle", "tenth", "quarter", "half", "most", "full"));
    }

    @Test
    void jsonAndYamlOfOnePlanStoreTheSameSpec() {
        String yaml = PlanDocuments.referenceYaml().replace("name: kv-store-recovery", "name: same-a");
        given().contentType("application/yaml")
                .body(utf8(yaml))
                .post(PLANS)
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(referenceJson("same-b"))
                .post(PLANS)
                .then()
                .statusCode(201);

        Map<String, Object> a = given().get(PLANS + "/same-a").then().extract().path("spec");
        Map<String, Object> b = given().get(PLANS + "/same-b").then().extract().path("spec");
        a.remove("name");
        b.remove("name");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void creatingAnExistingNameIsAConflict() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("dup"))
                .post(PLANS)
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(referenceJson("dup"))
                .when()
                .post(PLANS)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:plan-exists"));
    }

    @Test
    void listsPlansAPageAtATimeWithANextCursor() {
        for (String name : List.of("pg-c", "pg-a", "pg-b")) {
            given().contentType(ContentType.JSON)
                    .body(referenceJson(name))
                    .post(PLANS)
                    .then()
                    .statusCode(201);
        }
        Response first =
                given().queryParam("after", "pg-").queryParam("limit", 2).get(PLANS);
        first.then()
                .statusCode(200)
                .body("items.name", contains("pg-a", "pg-b"))
                .body("items[0].services", equalTo(18))
                .body("next", equalTo("pg-b"))
                .header("Link", containsString("rel=\"next\""));
        given().queryParam("after", "pg-b")
                .queryParam("limit", 1)
                .get(PLANS)
                .then()
                .statusCode(200)
                .body("items.name", contains("pg-c"));
    }

    @Test
    void limitOutOfRangeIsABadRequestNamingIt() {
        given().queryParam("limit", 0)
                .get(PLANS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("violations[0].pointer", equalTo("limit"))
                .body("detail", containsString("between 1 and 100"));
    }

    @Test
    void updateNeedsTheCurrentEtagAndKeepsThePreviousVersion() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("upd"))
                .post(PLANS)
                .then()
                .statusCode(201);
        String changed = referenceJson("upd", p -> at(p, "/tier").put("capacityPerSecond", 12000));

        given().contentType(ContentType.JSON)
                .body(changed)
                .put(PLANS + "/upd")
                .then()
                .statusCode(428)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body(changed)
                .put(PLANS + "/upd")
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2));
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body(changed)
                .put(PLANS + "/upd")
                .then()
                .statusCode(412)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:stale-version"))
                .body("currentVersion", equalTo(2));

        given().get(PLANS + "/upd/versions")
                .then()
                .statusCode(200)
                .body("version", contains(1, 2))
                .body("spec.tier.capacityPerSecond", contains(10000.0f, 12000.0f));
        given().get(PLANS + "/upd/versions/1")
                .then()
                .statusCode(200)
                .body("spec.tier.capacityPerSecond", equalTo(10000.0f));
        given().get(PLANS + "/upd/versions/7").then().statusCode(404).contentType(PROBLEM);
        given().get(PLANS + "/upd/versions/one").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void ofTwoConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
        given().contentType(ContentType.JSON)
                .body(referenceJson("race"))
                .post(PLANS)
                .then()
                .statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> updates = new ArrayList<>();
            for (int capacity : new int[] {11000, 13000}) {
                String body = referenceJson("race", p -> at(p, "/tier").put("capacityPerSecond", capacity));
                updates.add(() -> given().contentType(ContentType.JSON)
                        .header("If-Match", "\"1\"")
                        .body(body)
                        .put(PLANS + "/race")
                        .statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(updates)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
        given().get(PLANS + "/race/versions").then().body("version", contains(1, 2));
    }

    @Test
    void updateCannotRenameAPlan() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("keep"))
                .post(PLANS)
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body(referenceJson("other"))
                .put(PLANS + "/keep")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("violations[0].pointer", equalTo("/name"));
    }

    @Test
    void deleteRemovesThePlanAndItsHistory() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("gone"))
                .post(PLANS)
                .then()
                .statusCode(201);
        given().header("If-Match", "\"5\"").delete(PLANS + "/gone").then().statusCode(412);
        given().delete(PLANS + "/gone").then().statusCode(204);
        given().get(PLANS + "/gone").then().statusCode(404).contentType(PROBLEM).body("detail", containsString("gone"));
        given().get(PLANS + "/gone/versions").then().statusCode(404);
        given().delete(PLANS + "/gone").then().statusCode(404).contentType(PROBLEM);
    }

    static Stream<Arguments> brokenPlans() {
        return Stream.of(
                broken(
                        "unknown dependency",
                        "/services/2/dependsOn/1",
                        "unknown-service",
                        p -> arrayAt(p, "/services/2/dependsOn").set(1, "gatewy")),
                broken(
                        "dependency cycle",
                        "/services/2/dependsOn/0",
                        "cycle",
                        p -> at(p, "/services/0").putArray("dependsOn").add("warp")),
                broken(
                        "self dependency",
                        "/services/7/dependsOn/1",
                        "self-dependency",
                        p -> arrayAt(p, "/services/7/dependsOn").add("pages")),
                broken(
                        "duplicate service",
                        "/services/1/name",
                        "duplicate",
                        p -> at(p, "/services/1").put("name", "access")),
                broken("no stages", "/stages", "min-items", p -> p.putArray("stages")),
                broken(
                        "stages not increasing",
                        "/stages/2",
                        "increasing",
                        p -> at(p, "/stages/2").put("share", 0.07)),
                broken(
                        "last stage not full",
                        "/stages/5",
                        "final-stage-full",
                        p -> at(p, "/stages/5").put("share", 0.9)),
                broken(
                        "negative demand",
                        "/services/3/demandPerSecond",
                        "positive",
                        p -> at(p, "/services/3").put("demandPerSecond", -5)),
                broken(
                        "zero capacity",
                        "/tier/capacityPerSecond",
                        "positive",
                        p -> at(p, "/tier").put("capacityPerSecond", 0)),
                broken(
                        "hold out of range",
                        "/stages/0/holdSeconds",
                        "range",
                        p -> at(p, "/stages/0").put("holdSeconds", 86_401)),
                broken(
                        "demand above capacity",
                        "/services",
                        "capacity",
                        p -> at(p, "/tier").put("capacityPerSecond", 5000)),
                broken("name not a DNS label", "/name", "dns-label", p -> p.put("name", "Not_A_Label")),
                broken("missing tier", "/tier", "required", p -> p.remove("tier")),
                broken(
                        "gate on unknown service",
                        "/gates/2/service",
                        "unknown-service",
                        p -> at(p, "/gates/2").put("service", "nobody")),
                broken("too many stages", "/stages", "max-items", p -> {
                    var stages = p.putArray("stages");
                    for (int i = 1; i <= PlanLimits.MAX_STAGES + 1; i++) {
                        stages.addObject().put("share", i / (double) (PlanLimits.MAX_STAGES + 1));
                    }
                }));
    }

    private static Arguments broken(String what, String pointer, String rule, Consumer<ObjectNode> edit) {
        return Arguments.of(what, pointer, rule, edit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPlans")
    void invalidPlanIsABadRequestNamingFieldAndRuleAndStoresNothing(
            String what, String pointer, String rule, Consumer<ObjectNode> edit) {
        String name = "invalid-" + rule;
        given().contentType(ContentType.JSON)
                .body(referenceJson(name, edit))
                .when()
                .post(PLANS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:invalid-plan"))
                .body("violations.pointer", hasItem(pointer))
                .body("violations.rule", hasItem(rule))
                .body("detail", containsString(pointer));
        given().get(PLANS + "/" + name).then().statusCode(404);
    }

    @Test
    void malformedJsonIsABadRequestSayingWhere() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\",\n \"tier\": {\"name\": ,}}")
                .when()
                .post(PLANS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:malformed-plan"))
                .body("line", equalTo(2))
                .body("detail", containsString("line 2"));
    }

    @Test
    void malformedYamlIsABadRequestSayingWhere() {
        given().contentType("application/yaml")
                .body(utf8("name: x\ntier:\n  name: [oops\n  capacityPerSecond: 1\n"))
                .when()
                .post(PLANS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:sluice:problem:malformed-plan"))
                .body("detail", containsString("YAML"));
    }

    @Test
    void wrongTypeNamesTheField() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("typed", p -> at(p, "/services/0").put("demandPerSecond", "lots")))
                .when()
                .post(PLANS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("pointer", equalTo("/services/0/demandPerSecond"))
                .body("detail", containsString("expected a number"));
    }

    @Test
    void oversizedBodyIsRefusedWithTheLimit() {
        String padding = " ".repeat(PlanLimits.MAX_BODY_BYTES);
        given().contentType(ContentType.JSON)
                .body(referenceJson("huge") + padding)
                .when()
                .post(PLANS)
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("limitBytes", equalTo(PlanLimits.MAX_BODY_BYTES));
        given().get(PLANS + "/huge").then().statusCode(404);
    }

    @Test
    void unsupportedMediaTypeIsAProblem() {
        given().contentType(ContentType.TEXT)
                .body("name: x")
                .when()
                .post(PLANS)
                .then()
                .statusCode(415)
                .contentType(PROBLEM);
    }

    @Test
    void validateReportsViolationsWithoutStoring() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("dry", p -> at(p, "/tier").put("capacityPerSecond", 100)))
                .when()
                .post(PLANS + "/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("violations.rule", hasItem("capacity"))
                .body("order", nullValue());
        given().contentType("application/yaml")
                .body(utf8(PlanDocuments.referenceYaml()))
                .when()
                .post(PLANS + "/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("violations", hasSize(0))
                .body("order.waves", hasSize(3));
        given().get(PLANS + "/dry").then().statusCode(404);
    }

    @Test
    void orderShowsWavesAndWhatEachServiceWaitsOn() {
        given().contentType(ContentType.JSON)
                .body(referenceJson("ordered"))
                .post(PLANS)
                .then()
                .statusCode(201);
        given().get(PLANS + "/ordered/order")
                .then()
                .statusCode(200)
                .body("plan", equalTo("ordered"))
                .body("waves", hasSize(3))
                .body("waves[0].services[0].name", equalTo("access"))
                .body("waves[1].services.name", contains("gateway", "dashboard", "pages", "autorag"))
                .body("waves[2].services.find { it.name == 'warp' }.dependsOn", contains("access", "gateway"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void unknownRouteIsAProblem() {
        given().get("/api/v1/nothing-here").then().statusCode(404).contentType(PROBLEM);
    }
}
