package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's plan pages over real HTTP: storing an edited plan, its version history and diffs. */
@QuarkusTest
class ConsolePlansIT {
    @Test
    void anAdminStoresAnEditedPlanAsItsNextVersionAndTheDiffShowsTheChangedField() {
        store("console-save");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-adam", List.of("admin"), List.of("*")));
        String edited = RunPlans.pushPlan("console-save").replace("\"holdSeconds\": 5}", "\"holdSeconds\": 9}");
        Response saved =
                ConsoleForms.post(s, "/console/plans/console-save/save", s.csrf(), "document", edited, "version", "1");
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/console/plans/console-save?saved=2");
        given().get("/api/v1/plans/console-save").then().statusCode(200).header("ETag", "\"2\"");
        String page = page(s, "/console/plans/console-save?saved=2");
        assertThat(page).contains("id=\"saved\"").contains("data-version=\"1\"").contains("data-version=\"2\"");
        String diff = page(s, "/console/plans/console-save/diff?from=1&to=2");
        assertThat(diff)
                .contains("data-pointer=\"/stages/2/holdSeconds\"")
                .contains("5")
                .contains("9");
        given().queryParam("action", "plan-updated")
                .queryParam("plan", "console-save")
                .get("/api/v1/audit")
                .then()
                .body("items[0].actor", equalTo("console-adam"));
    }

    @Test
    void anInvalidOrStaleEditIsRefusedWithItsViolationsAndNothingIsStored() {
        store("console-save-bad");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-adam", List.of("admin"), List.of("*")));
        String invalid =
                RunPlans.pushPlan("console-save-bad").replace("\"dependsOn\": [\"a\"]", "\"dependsOn\": [\"nope\"]");
        Response bad = ConsoleForms.post(
                s, "/console/plans/console-save-bad/save", s.csrf(), "document", invalid, "version", "1");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString())
                .contains("data-pointer=\"/services/1/dependsOn/0\"")
                .contains("nope");
        Response renamed = ConsoleForms.post(
                s,
                "/console/plans/console-save-bad/save",
                s.csrf(),
                "document",
                RunPlans.pushPlan("other-name"),
                "version",
                "1");
        assertThat(renamed.statusCode()).isEqualTo(400);
        assertThat(renamed.asString()).contains("data-pointer=\"/name\"");
        Response stale = ConsoleForms.post(
                s,
                "/console/plans/console-save-bad/save",
                s.csrf(),
                "document",
                RunPlans.pushPlan("console-save-bad"),
                "version",
                "7");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.asString()).contains("id=\"problem\"");
        given().get("/api/v1/plans/console-save-bad").then().statusCode(200).header("ETag", "\"1\"");
    }

    @Test
    void anOperatorSeesADisabledSaveAndIsRefusedWhenPostingAnyway() {
        store("console-save-op");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-oscar"));
        assertThat(page(s, "/console/plans/console-save-op")).contains("<button type=\"button\" disabled id=\"save\">");
        Response r = ConsoleForms.post(
                s,
                "/console/plans/console-save-op/save",
                s.csrf(),
                "document",
                RunPlans.pushPlan("console-save-op"),
                "version",
                "1");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.asString()).contains("may not change plans");
        given().get("/api/v1/plans/console-save-op").then().header("ETag", "\"1\"");
    }

    private static void store(String name) {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan(name))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
    }

    private static String page(ConsoleForms.Session s, String path) {
        return given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
