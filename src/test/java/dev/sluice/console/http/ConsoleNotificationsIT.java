package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.TestAuthentication;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's notifications page: subscriptions as the caller may see them, and dead letters. */
@QuarkusTest
class ConsoleNotificationsIT {
    private static final String SLACK_STYLE = "https://hooks.example.com/services/T01/B02/consoleSecretPath";

    @Test
    void aViewerSeesSubscriptionsWithTheirOriginOnlyAndAnAdminSeesTheWholeUrl() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("url", SLACK_STYLE, "events", List.of("run-paused"), "plan", "console-notify"))
                .post("/api/v1/notifications/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("subscription.id");

        ConsoleForms.Session viewer =
                ConsoleForms.signIn(TestTokens.token("console-nora", List.of("viewer"), List.of()));
        String seenByViewer = page(viewer);
        assertThat(seenByViewer)
                .contains(id, "https://hooks.example.com/…", "run-paused", "console-notify")
                .doesNotContain("consoleSecretPath")
                .containsAnyOf("id=\"dead-letters\"", "id=\"no-dead-letters\"");

        ConsoleForms.Session admin = ConsoleForms.signIn(TestAuthentication.ADMIN_TOKEN);
        assertThat(page(admin)).contains(SLACK_STYLE);
    }

    @Test
    void withoutASessionThePageSendsTheBrowserToSignIn() {
        given().redirects().follow(false).get("/console/notifications").then().statusCode(303);
    }

    private static String page(ConsoleForms.Session s) {
        return given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console/notifications")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
