package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.domain.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    static final Notice PAUSED = new Notice(
            "msg_1",
            EventType.RUN_PAUSED,
            "r-1",
            "demo",
            "run",
            "running",
            "paused",
            "3 step-backs at stage half",
            "controller",
            "half",
            Instant.parse("2026-01-01T00:00:00Z"),
            false);

    @Test
    void aCloudEventCarriesTheRequiredAttributesAndTheNoticeAsData() throws Exception {
        JsonNode e = Json.mapper().readTree(Payloads.body(PAUSED, Format.CLOUDEVENTS));

        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("id").asText()).isEqualTo("msg_1");
        assertThat(e.get("source").asText()).isEqualTo("/sluice/plans/demo/runs/r-1");
        assertThat(e.get("type").asText()).isEqualTo("dev.sluice.run-paused");
        assertThat(e.get("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.at("/data/reason").asText()).isEqualTo("3 step-backs at stage half");
        assertThat(e.at("/data/stage").asText()).isEqualTo("half");
    }

    @Test
    void aSlackMessageHasTextAndASectionWithTheReasonEscaped() throws Exception {
        Notice n = new Notice(
                "msg_2",
                EventType.STAGE_STEPPED_BACK,
                "r-1",
                "demo",
                "stage",
                "half",
                "quarter",
                "errors <5% & rising>",
                "controller",
                "quarter",
                Instant.EPOCH,
                false);
        JsonNode m = Json.mapper().readTree(Payloads.body(n, Format.SLACK));

        assertThat(m.get("text").asText()).isEqualTo("demo: stepped back half → quarter");
        assertThat(m.at("/blocks/0/type").asText()).isEqualTo("section");
        assertThat(m.at("/blocks/0/text/text").asText()).contains("errors &lt;5% &amp; rising&gt;");
    }

    @Test
    void aReminderSaysTheRunIsStillPaused() {
        Notice reminder = Notices.stillPaused("msg_3", "r-1", "demo", "half", "approval", Instant.EPOCH);
        assertThat(Payloads.headline(reminder)).isEqualTo("demo: run still paused");
        assertThat(reminder.reminder()).isTrue();
    }
}
