package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.plan.Signal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonValueTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void readsTheNumberAtAPointer() {
        String body = """
                {"cache": {"hitRatio": 0.93, "shards": [{"lag": 1.5}, {"lag": 4}]}, "a/b": {"~x": 7}}
                """;
        assertThat(read(body, "/cache/hitRatio").value()).isEqualTo(0.93);
        assertThat(read(body, "/cache/shards/1/lag").value()).isEqualTo(4.0);
        assertThat(read(body, "/a~1b/~0x").value()).isEqualTo(7.0);
        assertThat(read("42", "").value())
                .as("the empty pointer is the whole answer")
                .isEqualTo(42.0);
    }

    @Test
    void theSignalSaysWhereTheValueGoes() {
        assertThat(JsonValue.sample("k", NOW, Signal.ERROR_RATIO, "{\"e\": 0.01}", "/e")
                        .errorRatio())
                .isEqualTo(0.01);
        assertThat(JsonValue.sample("k", NOW, Signal.LATENCY_MILLIS, "{\"p99\": 230}", "/p99")
                        .latencyMillis())
                .isEqualTo(230.0);
    }

    @Test
    void aStringHoldingANumberCounts() {
        assertThat(read("{\"v\": \"0.25\"}", "/v").value()).isEqualTo(0.25);
    }

    @Test
    void anythingButAFiniteNumberIsUnreadableWithTheReason() {
        assertThat(problem("{\"v\": 1}", "/w")).isEqualTo("no value at /w");
        assertThat(problem("{\"v\": null}", "/v")).isEqualTo("/v is null, not a number");
        assertThat(problem("{\"v\": true}", "/v")).isEqualTo("/v is boolean, not a number");
        assertThat(problem("{\"v\": {\"x\": 1}}", "/v")).isEqualTo("/v is object, not a number");
        assertThat(problem("{\"v\": \"lots\"}", "/v")).isEqualTo("/v is \"lots\", not a number");
        assertThat(problem("{\"v\": \"NaN\"}", "/v")).isEqualTo("value is NaN");
        assertThat(problem("{\"v\": 1e999}", "/v")).isEqualTo("value is infinite");
        assertThat(problem("<html>502</html>", "/v")).startsWith("answer is not JSON: ");
        assertThat(problem("", "/v")).isEqualTo("answer is empty");
        assertThat(problem("[1, 2]", "/5")).isEqualTo("no value at /5");
    }

    @Test
    void anErrorRatioOutsideZeroToOneOrANegativeLatencyIsUnreadable() {
        assertThat(JsonValue.sample("k", NOW, Signal.ERROR_RATIO, "{\"e\": 1.5}", "/e")
                        .problem())
                .isEqualTo("error ratio 1.5 is outside 0..1");
        assertThat(JsonValue.sample("k", NOW, Signal.LATENCY_MILLIS, "{\"l\": -3}", "/l")
                        .problem())
                .isEqualTo("latency -3.0 ms is negative");
        assertThat(JsonValue.sample("k", NOW, Signal.METRIC, "{\"lag\": -3}", "/lag")
                        .value())
                .as("a metric may be negative")
                .isEqualTo(-3.0);
    }

    private static HealthSample read(String body, String pointer) {
        HealthSample s = JsonValue.sample("k", NOW, Signal.METRIC, body, pointer);
        assertThat(s.readable()).as(s.problem()).isTrue();
        return s;
    }

    private static String problem(String body, String pointer) {
        HealthSample s = JsonValue.sample("k", NOW, Signal.METRIC, body, pointer);
        assertThat(s.readable()).isFalse();
        return s.problem();
    }
}
