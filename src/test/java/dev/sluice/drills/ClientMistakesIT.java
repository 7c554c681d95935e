package dev.sluice.drills;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestAuthentication;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client mistakes that once answered 500: each is a 400-class problem naming what was wrong. */
@QuarkusTest
class ClientMistakesIT {
    private static String run;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void aRun() {
        if (run != null) {
            return;
        }
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("mistakes"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "mistakes", "reason", "client mistakes"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json");
    }

    @Test
    void aNulInAQueryParameterIsABadParameter() {
        for (String parameter : new String[] {"run", "actor", "plan", "action", "q"}) {
            problem(
                            given().urlEncodingEnabled(false)
                                    .get("/api/v1/audit?" + parameter + "=%00")
                                    .then(),
                            400)
                    .body("violations[0].pointer", equalTo(parameter));
            problem(
                            given().urlEncodingEnabled(false)
                                    .get("/api/v1/audit/export?" + parameter + "=a%00b")
                                    .then(),
                            400)
                    .body("violations[0].pointer", equalTo(parameter));
        }
    }

    @Test
    void aNulInAPathSegmentIsABadParameter() {
        problem(given().urlEncodingEnabled(false).get("/api/v1/plans/a%00b").then(), 400)
                .body("violations[0].pointer", equalTo("name"));
        problem(given().urlEncodingEnabled(false).get("/api/v1/runs/a%00b").then(), 400)
                .body("violations[0].pointer", equalTo("id"));
    }

    @Test
    void aNulInABodyTextIsAnInvalidField() {
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"text\": \"found \\u0000 here\"}")
                                .post("/api/v1/audit/1/annotations")
                                .then(),
                        400)
                .body("violations[0].pointer", equalTo("/text"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"reason\": \"a\\u0000b\"}")
                                .post("/api/v1/runs/" + run + "/pause")
                                .then(),
                        400)
                .body("violations[0].pointer", equalTo("/reason"));
    }

    @Test
    void aNulInAPlanDocumentIsRefusedWithItsPointer() {
        String plan =
                RunPlans.pushPlan("mistakes-nul").replace("\"tier\":", "\"description\": \"a\\u0000b\", \"tier\":");
        problem(
                        given().contentType(ContentType.JSON)
                                .body(plan)
                                .post("/api/v1/plans")
                                .then(),
                        400)
                .body("pointer", equalTo("/description"));
        given().get("/api/v1/plans/mistakes-nul").then().statusCode(404);
    }

    @Test
    void aDuplicateKeyInABodyIsMalformed() {
        for (String action : new String[] {"pause", "abort"}) {
            problem(
                            given().contentType(ContentType.JSON)
                                    .body("{\"reason\":\"x\",\"reason\":\"y\"}")
                                    .post("/api/v1/runs/" + run + "/" + action)
                                    .then(),
                            400)
                    .body("detail", containsString("reason"));
        }
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"reason\":\"x\",\"reason\":\"y\"}")
                                .delete("/api/v1/runs/" + run + "/overrides/a")
                                .then(),
                        400)
                .body("detail", containsString("reason"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"name\":\"t\",\"name\":\"u\",\"roles\":[\"viewer\"]}")
                                .post("/api/v1/tokens")
                                .then(),
                        400)
                .body("detail", containsString("name"));
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() {
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"reason\": \"" + "a".repeat(1_100_000) + "\"}")
                                .post("/api/v1/runs/" + run + "/pause")
                                .then(),
                        413)
                .body("limitBytes", equalTo(1024 * 1024));
    }

    /** The permit route reads its requests itself (below JAX-RS): the same mistakes, the same answers. */
    @Test
    void aPermitRequestsMistakesAreProblemsNamingWhatWasWrong() throws Exception {
        String permits = "/api/v1/runs/" + run + "/services/a/permits";
        problem(given().contentType(ContentType.TEXT).body("1").post(permits).then(), 415);
        problem(
                given().contentType(ContentType.JSON)
                        .accept(ContentType.TEXT)
                        .post(permits)
                        .then(),
                406);
        problem(
                        given().urlEncodingEnabled(false)
                                .contentType(ContentType.JSON)
                                .post("/api/v1/runs/" + run + "%00/services/a/permits")
                                .then(),
                        400)
                .body("violations[0].pointer", equalTo("run"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"clientId\": \"a\\u0000b\"}")
                                .post(permits)
                                .then(),
                        400)
                .body("violations[0].pointer", equalTo("/clientId"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"count\": ")
                                .post(permits)
                                .then(),
                        400)
                .body("type", equalTo("urn:sluice:problem:malformed-body"))
                .body("violations[0].pointer", equalTo("/count"));
        problem(
                        given().contentType(ContentType.JSON)
                                .body("{\"cnt\": 1}")
                                .post(permits)
                                .then(),
                        400)
                .body("violations[0].pointer", equalTo("/cnt"));
        // a chunked body declares no length, so only its reader can tell that it is over the limit
        byte[] large = ("{\"clientId\": \"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + permits))
                                .header("Authorization", "Bearer " + TestAuthentication.ADMIN_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(chunked.body()).contains("\"limitBytes\":1048576");
    }

    @Test
    void aUrlOverTheLimitIsA414Problem() {
        problem(given().get("/api/v1/plans/" + "a".repeat(9000)).then(), 414).body("status", equalTo(414));
        problem(given().get("/api/v1/audit?q=" + "a".repeat(9000)).then(), 414);
    }
}
