package dev.sluice.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.domain.NulFreeText;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The rules every JSON request body is read by, in one place: a key given twice is malformed (which
 * value was meant is a guess, and two readers would guess differently), and no text holds a NUL
 * character ({@link NulFreeText}). Plan documents are read by {@code plan.PlanCodec} under the same
 * rules.
 */
@Singleton
public class RequestBodies implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.registerModule(NulFreeText.module());
    }
}
