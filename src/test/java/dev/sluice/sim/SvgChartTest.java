package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The chart on made-up timelines: what it must show however extreme the lines are. */
class SvgChartTest {
    private static final Scenario SCENARIO = Scenario.build(
            ScenarioFiles.read(ReferenceComparisonTest.REFERENCE).spec(),
            ScenarioFiles.read(ReferenceComparisonTest.REFERENCE).plan());
    private static final double HEALTHY = SCENARIO.tier().healthyPerSecond();

    private static SimulationResult result(String strategy, int seconds, double offered, double admitted) {
        List<Double> capacity = Collections.nCopies(seconds, HEALTHY);
        return new SimulationResult(
                strategy,
                Double.NaN,
                1800,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                1,
                0,
                0,
                0,
                false,
                Map.of(),
                new Timeline(
                        capacity,
                        Collections.nCopies(seconds, offered),
                        Collections.nCopies(seconds, admitted),
                        Collections.nCopies(seconds, Math.min(admitted, HEALTHY)),
                        Collections.nCopies(seconds, 0.0)));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> withClass(Document doc, String tag, String cls) {
        NodeList all = doc.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (cls.equals(e.getAttribute("class"))) {
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void chartMarksClippedLines() throws Exception {
        Comparison c = new Comparison(
                SCENARIO,
                List.of(
                        result("reopen-everything", 3600, 25 * HEALTHY, 25 * HEALTHY),
                        result("calm", 3600, HEALTHY, HEALTHY)),
                List.of());
        Document doc = parse(SvgChart.render(c));
        List<Element> labels = withClass(doc, "text", "clipped");
        // Offered and admitted run off the scale in the first panel, nothing in the second.
        assertThat(labels)
                .extracting(Element::getTextContent)
                .hasSize(2)
                .allSatisfy(text -> assertThat(text).contains("off the scale", "250.0k/s", "25.0× capacity"));
        assertThat(withClass(doc, "path", "clipped-mark")).hasSize(2);
    }

    @Test
    void timeAxisIsLabelledAtReadableIntervals() throws Exception {
        Comparison c = new Comparison(SCENARIO, List.of(result("calm", 5400, HEALTHY, HEALTHY)), List.of());
        List<Element> ticks = withClass(parse(SvgChart.render(c)), "text", "tick");
        // 1.5 hours: every 15 minutes.
        assertThat(ticks)
                .extracting(e -> e.getAttribute("data-seconds"))
                .containsExactly("0", "900", "1800", "2700", "3600", "4500", "5400");
        assertThat(ticks).extracting(Element::getTextContent).contains("0", "15 min", "1.5 h");
        assertThat(SvgChart.tickSeconds(300)).isEqualTo(60);
        assertThat(SvgChart.tickSeconds(1200)).isEqualTo(300);
    }

    @Test
    void stageLabelsNeverOverprint() throws Exception {
        // A flapping run: a stage change every second for three minutes.
        List<SluiceStrategy.StageChange> flaps = new ArrayList<>();
        for (int s = 0; s < 180; s++) {
            flaps.add(new SluiceStrategy.StageChange(
                    s, s % 2 == 0 ? "half" : "quarter", "running", s % 2 == 0 ? 5000 : 2500));
        }
        Comparison c = new Comparison(SCENARIO, List.of(result("sluice", 600, HEALTHY, HEALTHY)), flaps);
        Document doc = parse(SvgChart.render(c));
        List<Double> xs = withClass(doc, "text", "stage").stream()
                .map(e -> Double.parseDouble(e.getAttribute("x")))
                .toList();
        assertThat(xs).isNotEmpty().isSorted();
        for (int i = 1; i < xs.size(); i++) {
            assertThat(xs.get(i) - xs.get(i - 1)).isGreaterThanOrEqualTo(11);
        }
        assertThat(withClass(doc, "text", "unlabelled"))
                .singleElement()
                .satisfies(e -> assertThat(e.getTextContent()).contains(180 - xs.size() + " more stage changes"));
    }

    @Test
    void aLineUnderAnotherStaysVisible() throws Exception {
        // Admitted equals goodput (and offered): each line drawn narrower than the one under it.
        Comparison c = new Comparison(SCENARIO, List.of(result("oracle", 600, HEALTHY, HEALTHY)), List.of());
        NodeList lines = parse(SvgChart.render(c)).getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(4);
        for (int i = 1; i < lines.getLength(); i++) {
            double under = Double.parseDouble(((Element) lines.item(i - 1)).getAttribute("stroke-width"));
            double over = Double.parseDouble(((Element) lines.item(i)).getAttribute("stroke-width"));
            assertThat(over).isLessThan(under);
        }
    }
}
