package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's rehearsal page over real HTTP: a stored plan simulated with the form's scenario. */
@QuarkusTest
class ConsoleRehearsalIT {
    @Test
    void anOperatorRehearsesAStoredPlanAndSeesTheComparisonTableAndChart() {
        store("console-rehearse");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-reo"));
        Response r = ConsoleForms.post(
                s,
                "/console/plans/console-rehearse/rehearse",
                s.csrf(),
                "outageSeconds",
                "300",
                "startShare",
                "0.5",
                "horizonSeconds",
                "900",
                "seed",
                "7");
        assertThat(r.statusCode()).isEqualTo(200);
        String page = r.asString();
        assertThat(page)
                .contains("id=\"strategies\"")
                .contains("data-strategy=\"sluice\"")
                .contains("data-strategy=\"reopen-everything\"")
                .contains("id=\"targets\"")
                .contains("<svg");
        assertThat(page).as("the form keeps what was asked").contains("value=\"300\"");
    }

    @Test
    void aParameterOutOfTheSimulatorsBoundsIsShownAtItsFieldAndNothingRuns() {
        store("console-rehearse-bad");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.operator("console-reo"));
        Response tooLong = ConsoleForms.post(
                s, "/console/plans/console-rehearse-bad/rehearse", s.csrf(), "horizonSeconds", "999999");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.asString())
                .contains("id=\"horizonSeconds-error\"")
                .contains("data-pointer=\"/simulation/horizonSeconds\"")
                .doesNotContain("id=\"strategies\"");
        Response notANumber =
                ConsoleForms.post(s, "/console/plans/console-rehearse-bad/rehearse", s.csrf(), "startShare", "half");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.asString()).contains("id=\"startShare-error\"").contains("must be a number");
    }

    @Test
    void aViewerSeesADisabledRehearseButtonAndIsRefusedWhenPostingAnyway() {
        store("console-rehearse-v");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-vix", List.of("viewer"), List.of()));
        String page = given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get("/console/plans/console-rehearse-v/rehearse")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("<button type=\"button\" disabled id=\"rehearse\">");
        Response r = ConsoleForms.post(s, "/console/plans/console-rehearse-v/rehearse", s.csrf(), "seed", "1");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.asString()).contains("may not rehearse");
    }

    private static void store(String name) {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan(name))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
    }
}
