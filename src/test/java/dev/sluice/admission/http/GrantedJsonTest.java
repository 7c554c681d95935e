package dev.sluice.admission.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.admission.http.AdmissionResource.Granted;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantedJsonTest {
    /** Configured as the application's mapper is for answers (quarkus.jackson.serialization-inclusion=non-null). */
    private static final ObjectMapper MAPPER =
            new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @Test
    void theHandWrittenGrantIsWhatTheMapperWrites() throws Exception {
        List<Granted> grants = List.of(
                new Granted(1, 99, 100.0, "all"),
                new Granted(1_000_000, 0, 1e9, "quarter"),
                new Granted(3, Long.MAX_VALUE, 0.1 + 0.2, "a \"quoted\" \\ stage\n\u0001é"),
                new Granted(1, 0, 1.0E-7, null),
                new Granted(0, -1, Double.NaN, "x"),
                new Granted(0, 0, Double.POSITIVE_INFINITY, "y"),
                new Granted(2, 5, 123456789.123, ""));
        for (Granted granted : grants) {
            assertThat(PermitRoute.grantedJson(granted)).isEqualTo(MAPPER.writeValueAsString(granted));
        }
    }
}
