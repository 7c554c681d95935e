package dev.sluice.health;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.domain.Json;
import dev.sluice.plan.Signal;
import java.time.Instant;

/**
 * Reads the number at a JSON pointer (RFC 6901) out of a {@code json} source's answer. Pure.
 * A JSON number counts, and so does a string holding a plain decimal number ({@code "0.25"}, as
 * Prometheus writes values); anything else — not JSON, no value at the pointer, null, true, an
 * object, NaN, a number too large for a double — is unreadable, with the reason.
 */
public final class JsonValue {
    private JsonValue() {}

    public static HealthSample sample(String key, Instant now, Signal signal, String body, String pointer) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (JsonProcessingException e) {
            return HealthSample.unreadable(key, now, "answer is not JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return HealthSample.unreadable(key, now, "answer is empty");
        }
        JsonNode node;
        try {
            node = root.at(JsonPointer.compile(pointer));
        } catch (IllegalArgumentException e) {
            return HealthSample.unreadable(key, now, "invalid JSON pointer " + pointer);
        }
        String at = pointer.isEmpty() ? "the answer" : pointer;
        if (node.isMissingNode()) {
            return HealthSample.unreadable(key, now, "no value at " + at);
        }
        if (node.isNumber()) {
            return HealthSample.of(key, now, signal, node.doubleValue());
        }
        if (node.isTextual()) {
            Double v = Exposition.number(node.textValue().trim());
            if (v == null) {
                return HealthSample.unreadable(
                        key, now, at + " is \"" + abbreviate(node.textValue()) + "\", not a number");
            }
            return HealthSample.of(key, now, signal, v);
        }
        return HealthSample.unreadable(
                key,
                now,
                at + " is " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a number");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return abbreviate(nl < 0 ? message : message.substring(0, nl));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
