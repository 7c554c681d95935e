package dev.sluice.control.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.control.RunState;

/** Writes and reads run states (and other controller records) as JSON for storage. Thread-safe. */
final class RunStateCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private RunStateCodec() {}

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("controller records always serialize", e);
        }
    }

    static RunState read(String json) {
        try {
            return JSON.readValue(json, RunState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run state is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
