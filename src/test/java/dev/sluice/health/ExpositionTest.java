package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpositionTest {

    @Test
    void readsSamplesWithLabelsSkippingCommentsAndOtherMetrics() {
        Exposition.Parsed p = Exposition.parse("""
                # HELP kv_requests_total Requests served.
                # TYPE kv_requests_total counter
                kv_requests_total{code="200",route="/get"} 1027
                kv_requests_total{code="503",route="/get"} 3 1712000000000

                # a free comment
                kv_requests_created{code="200"} 1.7e9
                process_cpu_seconds_total 12.5
                kv_requests_total{ code = "500" , route="/put" , } 4.5e1
                """, Set.of("kv_requests_total"));
        assertThat(p.problem()).isNull();
        assertThat(p.series())
                .containsExactly(
                        new Exposition.Series("kv_requests_total", Map.of("code", "200", "route", "/get"), 1027),
                        new Exposition.Series("kv_requests_total", Map.of("code", "503", "route", "/get"), 3),
                        new Exposition.Series("kv_requests_total", Map.of("code", "500", "route", "/put"), 45));
    }

    @Test
    void labelValuesUnescapeBackslashQuoteAndNewline() {
        Exposition.Parsed p =
                Exposition.parse("m{path=\"C:\\\\tmp\",msg=\"say \\\"hi\\\"\\nbye\",brace=\"}{,\"} 1\n", Set.of("m"));
        assertThat(p.series().get(0).labels())
                .containsEntry("path", "C:\\tmp")
                .containsEntry("msg", "say \"hi\"\nbye")
                .containsEntry("brace", "}{,");
    }

    @Test
    void specialValuesAreReadAsPrometheusReadsThem() {
        Exposition.Parsed p = Exposition.parse("""
                m{v="nan"} NaN
                m{v="pinf"} +Inf
                m{v="ninf"} -Inf
                m{v="neg"} -0.5e-3
                """, Set.of("m"));
        assertThat(p.series())
                .extracting(Exposition.Series::value)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0005);
    }

    @Test
    void anOpenMetricsExemplarAndCarriageReturnsAreIgnored() {
        Exposition.Parsed p = Exposition.parse(
                "m_total{a=\"1\"} 17 # {trace_id=\"abc\"} 1.0 1712000000.1\r\n# EOF\r\n", Set.of("m_total"));
        assertThat(p.problem()).isNull();
        assertThat(p.series()).extracting(Exposition.Series::value).containsExactly(17.0);
    }

    @Test
    void aMetricMentionedOnlyByItsTypeLineIsPresentWithoutSeries() {
        Exposition.Parsed p =
                Exposition.parse("# TYPE errors_total counter\nrequests_total 10\n", Set.of("errors_total", "absent"));
        assertThat(p.series()).isEmpty();
        assertThat(p.present()).containsExactly("errors_total");
    }

    @Test
    void aMalformedLineOfAWantedMetricMakesTheWholeExpositionUnreadable() {
        assertThat(Exposition.parse("m 1\nm{a=\"x} 2\n", Set.of("m")).problem())
                .isEqualTo("line 2: unterminated value of label a of m");
        assertThat(Exposition.parse("m lots\n", Set.of("m")).problem())
                .isEqualTo("line 1: \"lots\" is not a number (value of m)");
        assertThat(Exposition.parse("m 0x1F\n", Set.of("m")).problem()).contains("is not a number");
        assertThat(Exposition.parse("m 1.0d\n", Set.of("m")).problem()).contains("is not a number");
        assertThat(Exposition.parse("m\n", Set.of("m")).problem()).isEqualTo("line 1: no value for m");
        assertThat(Exposition.parse("m{a=\"1\"} 1\nm{a=\"1\"} 2\n", Set.of("m")).problem())
                .isEqualTo("line 2: series m{a=1} appears twice");
        assertThat(Exposition.parse("m{a=\"\\q\"} 1\n", Set.of("m")).problem()).contains("unknown escape \\q");
    }

    @Test
    void garbageOutsideTheWantedMetricsIsSkipped() {
        Exposition.Parsed p = Exposition.parse("""
                <html><body>oops</body></html>
                other{broken 1
                {"utf8.name"} 3
                m 2
                """, Set.of("m"));
        assertThat(p.problem()).isNull();
        assertThat(p.series()).extracting(Exposition.Series::value).containsExactly(2.0);
    }

    @Test
    void anHtmlPageHasNoSeries() {
        Exposition.Parsed p = Exposition.parse("<html><body>502 Bad Gateway</body></html>", Set.of("m"));
        assertThat(p.problem()).isNull();
        assertThat(p.series()).isEmpty();
        assertThat(p.present()).isEmpty();
    }
}
