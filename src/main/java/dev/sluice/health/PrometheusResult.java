package dev.sluice.health;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the single number out of a Prometheus instant-query answer. Pure. */
public final class PrometheusResult {
    private PrometheusResult() {}

    /**
     * The value of a {@code scalar} result or of a {@code vector} with exactly one series; null when
     * there is none, several, or it is not a finite number.
     */
    public static Double value(JsonNode answer) {
        if (!"success".equals(answer.path("status").asText())) {
            return null;
        }
        JsonNode data = answer.path("data");
        JsonNode pair;
        switch (data.path("resultType").asText()) {
            case "scalar" -> pair = data.path("result");
            case "vector" -> {
                JsonNode result = data.path("result");
                if (result.size() != 1) {
                    return null;
                }
                pair = result.get(0).path("value");
            }
            default -> {
                return null;
            }
        }
        if (pair.size() != 2) {
            return null;
        }
        try {
            double v = Double.parseDouble(pair.get(1).asText());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
