package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PrometheusResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsAScalarAndASingleSeriesVector() throws Exception {
        assertThat(PrometheusResult.value(JSON.readTree(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.7e9,\"0.25\"]}}")))
                .isEqualTo(0.25);
        assertThat(PrometheusResult.value(JSON.readTree("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"metric\":{},\"value\":[1.7e9,\"12.5\"]}]}}")))
                .isEqualTo(12.5);
    }

    @Test
    void noSeriesSeveralSeriesOrNotANumberReadAsNothing() throws Exception {
        assertThat(PrometheusResult.value(
                        JSON.readTree("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")))
                .isNull();
        assertThat(PrometheusResult.value(JSON.readTree("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"value\":[1,\"1\"]},{\"value\":[1,\"2\"]}]}}")))
                .isNull();
        assertThat(PrometheusResult.value(JSON.readTree(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"NaN\"]}}")))
                .isNull();
        assertThat(PrometheusResult.value(JSON.readTree("{\"status\":\"error\",\"error\":\"bad query\"}")))
                .isNull();
    }
}
