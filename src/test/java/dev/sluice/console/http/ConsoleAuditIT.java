package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's audit pages over real HTTP: search, chain verification, exports, annotations. */
@QuarkusTest
class ConsoleAuditIT {
    private static final Pattern FIRST_EVENT = Pattern.compile("data-event=\"(\\d+)\"");

    @Test
    void aSearchFindsTheRunsEventsWithTheApisFiltersAndVerifiesTheChainOnRequest() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-audit"), "console-audit", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-ava", List.of("viewer"), List.of()));
        String page = get(s, "/console/audit?run=" + id + "&action=run-started");
        assertThat(page).contains("data-event=").contains("tier is back").contains("run-started");
        assertThat(page).doesNotContain("id=\"verification\"");
        assertThat(get(s, "/console/audit?run=" + id + "&action=run-paused")).contains("id=\"no-events\"");
        String verified = get(s, "/console/audit?run=" + id + "&verify=1");
        assertThat(verified).contains("id=\"chain-intact\"").contains("events checked");
        assertThat(verified)
                .as("the export links carry the search")
                .contains("/console/audit/export?format=csv&amp;run=" + id);
    }

    @Test
    void aSinceThatIsNotAnInstantIsShownAtItsFieldWith400() {
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-ava", List.of("viewer"), List.of()));
        Response r = given().cookie(ConsoleAuth.COOKIE, s.cookie()).get("/console/audit?since=yesterday");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"since-error\"").contains("value=\"yesterday\"");
    }

    @Test
    void theExportsStreamTheSearchedEventsAsCsvAndNdjsonToTheSession() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-export"), "console-export", "tier is back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-ava", List.of("viewer"), List.of()));
        Response csv = given().cookie(ConsoleAuth.COOKIE, s.cookie()).get("/console/audit/export?format=csv&run=" + id);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.asString().split("\r\n");
        assertThat(lines[0]).startsWith("id,");
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(String.join("\n", lines)).contains("tier is back").contains(id);
        Response ndjson =
                given().cookie(ConsoleAuth.COOKIE, s.cookie()).get("/console/audit/export?format=ndjson&run=" + id);
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.asString().lines().findFirst().orElseThrow())
                .startsWith("{")
                .contains("\"runId\":\"" + id);
        given().redirects()
                .follow(false)
                .get("/console/audit/export?format=csv")
                .then()
                .statusCode(303);
    }

    @Test
    void aReviewerAnnotatesAnEventAndTheAnnotationIsAnAttributedChainedAuditEvent() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-annot"), "console-annot", "tier is back");
        ConsoleForms.Session s =
                ConsoleForms.signIn(TestTokens.token("console-rita", List.of("reviewer"), List.of("*")));
        long event = firstEvent(get(s, "/console/audit?run=" + id + "&action=run-started"));
        String eventPage = get(s, "/console/audit/events/" + event);
        assertThat(eventPage).contains("id=\"no-annotations\"").contains("id=\"annotate-form\"");
        String csrf = ConsoleForms.csrfOf(eventPage);
        Response blank = ConsoleForms.post(s, "/console/audit/events/" + event + "/annotations", csrf, "text", " ");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.asString()).contains("id=\"text-error\"").contains("say what you found");
        Response done = ConsoleForms.post(
                s,
                "/console/audit/events/" + event + "/annotations",
                csrf,
                "text",
                "start approved in the bridge call");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(get(s, "/console/audit/events/" + event))
                .contains("console-rita")
                .contains("start approved in the bridge call");
        given().queryParam("action", "annotation")
                .queryParam("run", id)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .body("items[0].actor", equalTo("console-rita"))
                .body("items[0].subject", equalTo("event " + event))
                .body("items[0].reason", equalTo("start approved in the bridge call"));
        given().get("/api/v1/audit/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    @Test
    void aViewerSeesADisabledAnnotateButtonAndIsRefusedWhenPostingAnyway() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan("console-annot-v"), "console-annot-v", "back");
        ConsoleForms.Session s = ConsoleForms.signIn(TestTokens.token("console-vik", List.of("viewer"), List.of()));
        long event = firstEvent(get(s, "/console/audit?run=" + id));
        String eventPage = get(s, "/console/audit/events/" + event);
        assertThat(eventPage)
                .contains("<button type=\"button\" disabled id=\"annotate\">")
                .doesNotContain("id=\"annotate-form\"");
        Response r = ConsoleForms.post(s, "/console/audit/events/" + event + "/annotations", s.csrf(), "text", "mine");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.asString()).contains("may not annotate");
        given().queryParam("action", "annotation")
                .queryParam("run", id)
                .get("/api/v1/audit")
                .then()
                .body("items", org.hamcrest.Matchers.empty());
    }

    private static long firstEvent(String page) {
        Matcher m = FIRST_EVENT.matcher(page);
        assertThat(m.find()).as("an event row in the page").isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String get(ConsoleForms.Session s, String path) {
        return given().cookie(ConsoleAuth.COOKIE, s.cookie())
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
