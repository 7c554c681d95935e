package dev.sluice.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.store.AuditReview;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void planChangesAreAuditedWithAReadableDiff() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("audit-diff"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body(RunPlans.pushPlan("audit-diff")
                        .replace("\"capacityPerSecond\": 400", "\"capacityPerSecond\": 500"))
                .put("/api/v1/plans/audit-diff")
                .then()
                .statusCode(200);
        given().queryParam("plan", "audit-diff")
                .queryParam("action", "plan-updated")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .body("items[0].actor", equalTo("bootstrap-admin"))
                .body("items[0].reason", equalTo("1 change: /tier/capacityPerSecond: 400.0 -> 500.0"))
                .body("items[0].from", equalTo("version 1"))
                .body("items[0].to", equalTo("version 2"));
    }

    @Test
    void filtersAndCursorsWalkEveryEventOnceEvenWhileNewOnesArrive() {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("audit-walk"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "audit-walk", "reason", "walk"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int i = 0; i < 6; i++) {
            action(run, i % 2 == 0 ? "pause" : "resume", "round " + i);
        }
        List<Long> seen = new ArrayList<>();
        Long after = null;
        int pages = 0;
        do {
            var request =
                    given().queryParam("run", run).queryParam("order", "oldest").queryParam("limit", 3);
            if (after != null) {
                request.queryParam("after", after);
            }
            Map<String, Object> page = request.get("/api/v1/audit")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("$");
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            items.forEach(e -> seen.add(((Number) e.get("id")).longValue()));
            after = page.get("next") == null ? null : ((Number) page.get("next")).longValue();
            if (pages++ == 1) {
                action(run, "pause", "arrives mid-walk"); // a new event while paging
            }
        } while (after != null);
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        List<Long> all = given().queryParam("run", run)
                .queryParam("order", "oldest")
                .queryParam("limit", 100)
                .get("/api/v1/audit")
                .then()
                .extract()
                .path("items.id.collect { it as long }");
        assertThat(seen).isEqualTo(all);
        given().queryParam("run", run)
                .queryParam("q", "MID-WALK")
                .get("/api/v1/audit")
                .then()
                .body("items.size()", equalTo(1))
                .body("items[0].action", equalTo("run-paused"));
        given().queryParam("since", "yesterday")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("since"));
    }

    @Test
    void exportsParseBackToTheSameEvents() throws Exception {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("audit-export"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "audit-export", "reason", "with \"quotes\", commas,\nand a new line"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<Map<String, Object>> events = given().queryParam("run", run)
                .queryParam("order", "oldest")
                .get("/api/v1/audit")
                .then()
                .extract()
                .path("items");
        String ndjson = given().queryParam("run", run)
                .get("/api/v1/audit/export")
                .then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract()
                .asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            assertThat(lines.get(i).get("id").asLong())
                    .isEqualTo(((Number) events.get(i).get("id")).longValue());
            assertThat(lines.get(i).get("reason").asText())
                    .isEqualTo(events.get(i).get("reason"));
            assertThat(lines.get(i).get("hash").asText())
                    .isEqualTo(events.get(i).get("hash"));
        }
        String csv = given().queryParam("run", run)
                .queryParam("format", "csv")
                .get("/api/v1/audit/export")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        List<List<String>> rows = Csv.parse(csv);
        assertThat(rows.get(0)).containsExactly(AuditReview.CSV_HEADER.split(","));
        assertThat(rows).hasSize(events.size() + 1);
        for (int i = 0; i < events.size(); i++) {
            assertThat(rows.get(i + 1).get(0))
                    .isEqualTo(String.valueOf(events.get(i).get("id")));
            assertThat(rows.get(i + 1).get(9)).isEqualTo(events.get(i).get("reason"));
            assertThat(rows.get(i + 1).get(12)).isEqualTo(events.get(i).get("hash"));
        }
    }

    @Test
    void reviewersAnnotateAndTheAnnotationIsItselfAudited() {
        String reviewer = TestTokens.token("rita", List.of("reviewer"), List.of());
        long id = ((Number) given().queryParam("limit", 1)
                        .get("/api/v1/audit")
                        .then()
                        .extract()
                        .path("items[0].id"))
                .longValue();
        TestTokens.as(reviewer)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "checked against the pager log"))
                .post("/api/v1/audit/" + id + "/annotations")
                .then()
                .statusCode(201)
                .body("action", equalTo("annotation"))
                .body("actor", equalTo("rita"))
                .body("subject", equalTo("event " + id));
        TestTokens.as(TestTokens.operator("not-a-reviewer"))
                .contentType(ContentType.JSON)
                .body(Map.of("text", "x"))
                .post("/api/v1/audit/" + id + "/annotations")
                .then()
                .statusCode(403);
        // Refusals are written off the request thread: wait (bounded) for that write.
        Awaitility.await("the refusal is audited")
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(given().queryParam("action", "access-denied")
                                .get("/api/v1/audit")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<String>>path("items.actor"))
                        .contains("not-a-reviewer"));
    }

    @Test
    void anActionWhoseAuditWriteFailsLeavesNoStateChange() throws Exception {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("audit-fail"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "audit-fail", "reason", "go"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        sql(
                "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN "
                        + "IF NEW.reason = 'the audit write fails' THEN RAISE EXCEPTION 'audit refused'; END IF; "
                        + "RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_audit BEFORE INSERT OR UPDATE ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
        try {
            given().contentType(ContentType.JSON)
                    .body(Map.of("reason", "the audit write fails"))
                    .post("/api/v1/runs/" + run + "/pause")
                    .then()
                    .statusCode(500)
                    .contentType("application/problem+json");
        } finally {
            sql("DROP TRIGGER refuse_audit ON audit_event", "DROP FUNCTION refuse_audit()");
        }
        given().get("/api/v1/runs/" + run).then().body("status", equalTo("running"));
    }

    @Test
    void tamperingIsDetectedAndLocated() throws Exception {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("audit-tamper"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "audit-tamper", "reason", "go"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int i = 0; i < 4; i++) {
            action(run, i % 2 == 0 ? "pause" : "resume", "tamper " + i);
        }
        given().get("/api/v1/audit/verify").then().statusCode(200).body("intact", equalTo(true));
        List<Long> ids = given().queryParam("run", run)
                .queryParam("order", "oldest")
                .get("/api/v1/audit")
                .then()
                .extract()
                .path("items.id.collect { it as long }");
        long edited = ids.get(2);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            String original = given().queryParam("run", run)
                    .queryParam("order", "oldest")
                    .get("/api/v1/audit")
                    .then()
                    .extract()
                    .path("items[2].reason");
            s.execute("UPDATE audit_event SET reason = 'nothing happened' WHERE id = " + edited);
            given().get("/api/v1/audit/verify")
                    .then()
                    .body("intact", equalTo(false))
                    .body("firstBrokenId", equalTo((int) edited))
                    .body("problem", containsString("content"));
            s.execute("UPDATE audit_event SET reason = '" + original.replace("'", "''") + "' WHERE id = " + edited);
            given().get("/api/v1/audit/verify").then().body("intact", equalTo(true));

            long deleted = ids.get(3);
            s.execute("CREATE TEMP TABLE saved AS SELECT * FROM audit_event WHERE id = " + deleted);
            s.execute("DELETE FROM audit_event WHERE id = " + deleted);
            given().get("/api/v1/audit/verify")
                    .then()
                    .body("intact", equalTo(false))
                    .body("firstBrokenId", equalTo(ids.get(4).intValue()))
                    .body("problem", containsString("link"));
            s.execute("INSERT INTO audit_event SELECT * FROM saved");

            // Reorder: swap the contents of two events (keeping ids) — both hashes stop matching.
            s.execute("CREATE TEMP TABLE before_swap AS SELECT id, reason FROM audit_event WHERE id IN (" + ids.get(1)
                    + ", " + ids.get(2) + ")");
            s.execute("UPDATE audit_event a SET reason = b.reason FROM before_swap b WHERE (a.id, b.id) IN (("
                    + ids.get(1) + ", " + ids.get(2) + "), (" + ids.get(2) + ", " + ids.get(1) + "))");
            given().get("/api/v1/audit/verify")
                    .then()
                    .body("intact", equalTo(false))
                    .body("firstBrokenId", equalTo(ids.get(1).intValue()));
            s.execute("UPDATE audit_event a SET reason = b.reason FROM before_swap b WHERE a.id = b.id");
            given().get("/api/v1/audit/verify").then().body("intact", equalTo(true));
        }
    }

    private static void action(String run, String action, String reason) {
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post("/api/v1/runs/" + run + "/" + action)
                .then()
                .statusCode(200);
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
