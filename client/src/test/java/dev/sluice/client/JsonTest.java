package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsAProblemWithNestedArraysAndEscapes() {
        Map<String, Object> body = Json.readObject(
                "{\"type\":\"urn:sluice:problem:not-admitted\", \"status\":429, \"detail\":\"a \\\"b\\\" \\u00e9\\n\","
                        + " \"blockedBy\":[\"auth\",\"db\"], \"nested\":{\"x\":[1,2.5e3,-3]}, \"ok\":true, \"none\":null}");
        assertThat(body.get("status")).isEqualTo(429.0);
        assertThat(body.get("detail")).isEqualTo("a \"b\" é\n");
        assertThat(body.get("blockedBy")).isEqualTo(List.of("auth", "db"));
        assertThat(body.get("nested")).isEqualTo(Map.of("x", List.of(1.0, 2500.0, -3.0)));
        assertThat(body.get("ok")).isEqualTo(true);
        assertThat(body).containsKey("none");
    }

    @Test
    void malformedJsonIsRefusedNotGuessed() {
        assertThatThrownBy(() -> Json.readObject("{\"a\":1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.readObject("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.readObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesFlatObjectsLeavingNullsOut() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("clientId", "a\"b");
        fields.put("count", 1);
        fields.put("wantPerSecond", 12.5);
        fields.put("backlog", null);
        assertThat(Json.writeObject(fields)).isEqualTo("{\"clientId\":\"a\\\"b\",\"count\":1,\"wantPerSecond\":12.5}");
        assertThat(Json.readObject(Json.writeObject(fields))).containsEntry("wantPerSecond", 12.5);
    }
}
