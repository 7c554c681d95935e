package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.domain.NulFreeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads plan documents (JSON or YAML) strictly, and writes the canonical JSON a plan is stored as.
 * Strict means: unknown fields, duplicate keys, strings where numbers belong and fractions where
 * whole numbers belong are errors, never silently coerced; no text may hold a NUL character
 * ({@link NulFreeText}). Thread-safe.
 */
public final class PlanCodec {
    /**
     * Not the shared {@code domain.Json} mapper: reading plan documents strictly is the point of this
     * one (no coercion, duplicate keys and unknown fields rejected), and the canonical stored form of
     * a plan (nulls left out) is what version history and ETags compare.
     */
    private static final ObjectMapper JSON = configure(JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build());

    private static final ObjectMapper YAML =
            configure(YAMLMapper.builder(YAMLFactory.builder().build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build());

    private PlanCodec() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(NulFreeText.module())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static RestorePlan read(byte[] document, PlanFormat format) {
        return readDocument(document, format, RestorePlan.class, "a restore plan");
    }

    /**
     * Reads any document with the same strict rules as plans (a simulation scenario, say).
     *
     * @param what what the document should be, for messages ("a restore plan")
     */
    public static <T> T readDocument(byte[] document, PlanFormat format, Class<T> type, String what) {
        if (document.length > PlanLimits.MAX_BODY_BYTES) {
            throw new PlanTooLargeException(PlanLimits.MAX_BODY_BYTES);
        }
        if (document.length == 0 || new String(document, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new PlanParseException("the document is empty; send " + what, "", 1, 1);
        }
        ObjectMapper mapper = format == PlanFormat.YAML ? YAML : JSON;
        try {
            T value = mapper.readValue(document, type);
            if (value == null) {
                throw new PlanParseException("the document is null; send " + what, "", 1, 1);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical JSON form of a plan, as stored. */
    public static String toJson(RestorePlan plan) {
        try {
            return JSON.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan record always serializes", e);
        }
    }

    /** Reads a plan this class wrote earlier. */
    public static RestorePlan fromStoredJson(String json) {
        try {
            return JSON.readValue(json, RestorePlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan is not readable: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * At most {@link PlanLimits#MAX_BODY_BYTES} bytes of {@code in}.
     *
     * @throws PlanTooLargeException when there are more bytes than that
     */
    public static byte[] readLimited(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(PlanLimits.MAX_BODY_BYTES + 1);
            if (bytes.length > PlanLimits.MAX_BODY_BYTES) {
                throw new PlanTooLargeException(PlanLimits.MAX_BODY_BYTES);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PlanParseException translate(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        int line = location == null ? -1 : location.getLineNr();
        int column = location == null ? -1 : location.getColumnNr();
        String pointer = e instanceof JsonMappingException m ? pointer(m.getPath()) : "";
        return new PlanParseException(describe(e), pointer, line, column);
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            sb.append('/');
            if (ref.getFieldName() != null) {
                sb.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                sb.append(ref.getIndex());
            }
        }
        return sb.toString();
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null
                    ? ""
                    : u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            return "unknown field \"" + u.getPropertyName() + "\""
                    + (known.isEmpty() ? "" : "; known fields: " + known);
        }
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants())
                    .map(Object::toString)
                    .collect(Collectors.joining(", "));
            return "\"" + f.getValue() + "\" is not one of: " + allowed;
        }
        if (e instanceof NulFreeText.NulCharacterException) {
            return NulFreeText.MESSAGE;
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + typeName(m.getTargetType());
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String typeName(Class<?> type) {
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of: "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        return "an object";
    }
}
