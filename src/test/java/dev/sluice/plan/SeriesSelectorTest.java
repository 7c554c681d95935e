package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesSelectorTest {

    @Test
    void aBareNameSelectsEverySeriesOfTheMetric() {
        SeriesSelector s = SeriesSelector.parse("kv_requests_total");
        assertThat(s.name()).isEqualTo("kv_requests_total");
        assertThat(s.matches(Map.of("code", "200"))).isTrue();
    }

    @Test
    void matchersCompareLabelsAsPromQlDoes() {
        SeriesSelector s = SeriesSelector.parse(
                "http_server_requests_seconds_count{status=~\"5..\", uri!=\"/q/health\", method=\"GET\",}");
        assertThat(s.matches(Map.of("status", "503", "uri", "/api", "method", "GET")))
                .isTrue();
        assertThat(s.matches(Map.of("status", "503", "uri", "/q/health", "method", "GET")))
                .isFalse();
        assertThat(s.matches(Map.of("status", "5030", "uri", "/api", "method", "GET")))
                .as("regular expressions are anchored at both ends")
                .isFalse();
        assertThat(s.matches(Map.of("status", "500", "uri", "/api")))
                .as("an absent label is empty")
                .isFalse();
        assertThat(SeriesSelector.parse("up{job!~\"kv|db\"}").matches(Map.of("job", "web")))
                .isTrue();
        assertThat(SeriesSelector.parse("up{zone=\"\"}").matches(Map.of())).isTrue();
    }

    @Test
    void labelValuesTakeTheExpositionsEscapes() {
        SeriesSelector s = SeriesSelector.parse("m{path=\"C:\\\\dir \\\"x\\\"\\n\"}");
        assertThat(s.matches(Map.of("path", "C:\\dir \"x\"\n"))).isTrue();
    }

    @Test
    void malformedSelectorsSayWhereAndWhat() {
        assertThatThrownBy(() -> SeriesSelector.parse("kv requests"))
                .hasMessage("at 4: unexpected 'r' after the selector");
        assertThatThrownBy(() -> SeriesSelector.parse("m{code}")).hasMessage("at 7: expected '=', '!=', '=~' or '!~'");
        assertThatThrownBy(() -> SeriesSelector.parse("m{code=500}"))
                .hasMessage("at 8: expected a double-quoted label value");
        assertThatThrownBy(() -> SeriesSelector.parse("m{code=\"5\\d\"}")).hasMessageContaining("unknown escape \\d");
        assertThatThrownBy(() -> SeriesSelector.parse("m{code=~\"(\"}"))
                .hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> SeriesSelector.parse("m{a=\"1\" b=\"2\"}")).hasMessage("at 9: expected ',' or '}'");
        assertThatThrownBy(() -> SeriesSelector.parse("{job=\"kv\"}")).hasMessageContaining("expected a metric name");
    }
}
