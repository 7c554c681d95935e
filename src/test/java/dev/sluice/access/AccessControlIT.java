package dev.sluice.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccessControlIT {
    private static final Set<String> PUBLIC = Set.of("GET /api/v1/ping");
    /** POSTs that change nothing: a viewer may call them. */
    private static final Set<String> READ_ONLY_POSTS = Set.of("POST /api/v1/plans/validate");

    /** Every route of the API, from the OpenAPI document: a new endpoint is covered as soon as it exists. */
    private static List<String[]> routes() {
        Map<String, Map<String, Object>> paths = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .path("paths");
        List<String[]> routes = new ArrayList<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            if (path.startsWith("/api/")) {
                routes.add(new String[] {method.toUpperCase(), path, path.replaceAll("\\{[^}]+}", "x")});
            }
        }));
        assertThat(routes).hasSizeGreaterThan(20);
        return routes;
    }

    @Test
    void everyRouteButPingRefusesAnonymousCallers() {
        for (String[] route : routes()) {
            String name = route[0] + " " + route[1];
            Response response = given().header("Authorization", "")
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .request(route[0], route[2]);
            if (PUBLIC.contains(name)) {
                assertThat(response.statusCode()).as(name).isEqualTo(200);
                continue;
            }
            assertThat(response.statusCode()).as(name).isEqualTo(401);
            assertThat(response.contentType()).as(name).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).as(name).startsWith("Bearer");
        }
    }

    @Test
    void everyMutatingRouteRefusesAViewer() {
        String viewer = TestTokens.token("route-viewer", List.of("viewer"), List.of());
        for (String[] route : routes()) {
            String name = route[0] + " " + route[1];
            if (route[0].equals("GET") || READ_ONLY_POSTS.contains(name)) {
                continue;
            }
            Response response = TestTokens.as(viewer)
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .request(route[0], route[2]);
            assertThat(response.statusCode()).as(name).isEqualTo(403);
            assertThat(response.contentType()).as(name).startsWith("application/problem+json");
        }
    }

    @Test
    void aWrongOrRevokedTokenIsRefused() {
        given().header("Authorization", "Bearer slc_nosuchid_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/api/v1/plans")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-token")
                .get("/api/v1/plans")
                .then()
                .statusCode(401);
        String doomed = TestTokens.token("doomed", List.of("viewer"), List.of());
        TestTokens.as(doomed).get("/api/v1/plans").then().statusCode(200);
        String id = doomed.substring(4, 12);
        given().queryParam("reason", "left the team")
                .delete("/api/v1/tokens/" + id)
                .then()
                .statusCode(204);
        TestTokens.as(doomed).get("/api/v1/plans").then().statusCode(401);
    }

    @Test
    void rolesAllowWhatTheySay() {
        String operator = TestTokens.operator("role-operator");
        String reviewer = TestTokens.token("role-reviewer", List.of("reviewer"), List.of());
        String client = TestTokens.token("role-client", List.of("client"), List.of("acl-plan/a"));
        TestTokens.as(operator)
                .contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("acl-nope"))
                .post("/api/v1/plans")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("acl-plan"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        TestTokens.as(reviewer).get("/api/v1/plans/acl-plan").then().statusCode(200);
        TestTokens.as(client).get("/api/v1/plans/acl-plan").then().statusCode(403);
        String run = TestTokens.as(operator)
                .contentType(ContentType.JSON)
                .body(Map.of("plan", "acl-plan", "reason", "access test"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .body("timeline[0].actor", equalTo("role-operator"))
                .extract()
                .path("id");
        TestTokens.as(client)
                .contentType(ContentType.JSON)
                .post("/api/v1/runs/" + run + "/services/a/permits")
                .then()
                .statusCode(200);
        TestTokens.as(client)
                .contentType(ContentType.JSON)
                .post("/api/v1/runs/" + run + "/services/b/permits")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("no scope for acl-plan/b"));
        TestTokens.as(operator)
                .contentType(ContentType.JSON)
                .post("/api/v1/runs/" + run + "/services/a/permits")
                .then()
                .statusCode(403);
    }

    @Test
    void tokensAreShownOnceAndListedWithoutSecrets() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("name", "listed", "roles", List.of("viewer"), "scopes", List.of()))
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        assertThat(token).matches("slc_[a-z0-9]{8}_[A-Za-z0-9_-]{43}");
        String listing =
                given().get("/api/v1/tokens").then().statusCode(200).extract().asString();
        assertThat(listing).contains("\"listed\"").doesNotContain(token.substring(13));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad-client", "roles", List.of("client"), "scopes", List.of()))
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/scopes"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad-role", "roles", List.of("root"), "scopes", List.of()))
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/roles/0"));
    }
}
