package dev.sluice.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one configured JSON mapper for Sluice's own JSON: stored run states, audit details and
 * exports, plan diffs, answers of health sources. Instants are ISO-8601 text; null members are
 * written; unknown members fail a read (Jackson's default). Thread-safe; never reconfigure {@link
 * #mapper()}.
 *
 * <p>Two mappers stay apart on purpose: {@code plan.PlanCodec} reads plan documents strictly (no
 * coercion, duplicate keys rejected), and {@code audit.AuditHash} pins the canonical form every
 * stored hash was computed over. HTTP bodies go through Quarkus's mapper ({@code quarkus.jackson.*}).
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {}

    /** The shared mapper, for streaming or tree work the helpers here do not cover. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as JSON text; Sluice's own records always serialize. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Sluice's own records always serialize", e);
        }
    }

    /** {@code value} as a JSON tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Reads JSON text that Sluice wrote itself (stored state).
     *
     * @throws IllegalStateException when it is not readable as {@code type}
     */
    public static <T> T readStored(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text from elsewhere (a health source's answer). */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }
}
