package dev.sluice.sim;

import java.util.List;
import java.util.Locale;

/**
 * A chart of a comparison as SVG: one panel per strategy, each showing over time the tier's
 * capacity, what clients offered, what was admitted and what was served usefully (goodput). The
 * y axis is shared and stops at 2.5× the healthy capacity: a line above it runs along the top edge,
 * marked there in its colour and labelled with its peak. The x axis covers the time it took the
 * slowest restored strategy, or the horizon, labelled at round intervals. Lines are drawn widest
 * first (offered, admitted, goodput, then the dashed capacity), so a line under another shows as its
 * border. Stage labels never overprint: one that cannot sit close to its line is left out, and the
 * panel says how many were.
 */
public final class SvgChart {
    private static final int PANEL_W = 440;
    private static final int PANEL_H = 170;
    private static final int MARGIN_L = 54;
    private static final int MARGIN_T = 28;
    private static final int GAP_X = 64;
    private static final int GAP_Y = 52;
    private static final int COLUMNS = 2;
    private static final String CAPACITY = "#222222";
    private static final String OFFERED = "#e8871e";
    private static final String ADMITTED = "#2b6cb0";
    private static final String GOODPUT = "#2f9e44";
    /** Stroke widths in drawing order: each line narrower than the one under it. */
    private static final double OFFERED_W = 4.2;

    private static final double ADMITTED_W = 2.8;
    private static final double GOODPUT_W = 1.5;
    private static final double CAPACITY_W = 1.2;
    /** A stage label is this wide (rotated 9 px text) and may sit at most this far right of its line. */
    private static final double LABEL_W = 11;

    private static final double LABEL_DRIFT = 30;
    /** Time-axis steps to choose from, in seconds: the smallest giving at most {@link #MAX_TICKS} intervals. */
    private static final int[] TICK_SECONDS = {
        10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
    };

    private static final int MAX_TICKS = 6;

    private SvgChart() {}

    public static String render(Comparison c) {
        List<SimulationResult> results = c.results();
        int rows = (results.size() + COLUMNS - 1) / COLUMNS;
        int width = MARGIN_L + COLUMNS * (PANEL_W + GAP_X) + 10;
        int height = 70 + rows * (PANEL_H + GAP_Y);
        double healthy = c.scenario().tier().healthyPerSecond();
        double yMax = 2.5 * healthy;
        int seconds = results.get(0).timeline().seconds();
        double slowest = results.stream()
                .filter(SimulationResult::restored)
                .mapToDouble(SimulationResult::restoredSeconds)
                .max()
                .orElse(seconds);
        int xMax = (int) Math.min(seconds, Math.max(300, Math.ceil(slowest * 1.15 / 60) * 60));

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                MARGIN_L,
                escape("Scenario " + c.scenario().name() + ": requests/s over the first " + Scenario.duration(xMax)
                        + " after the tier came back")));
        legend(svg, MARGIN_L, 38);
        for (int i = 0; i < results.size(); i++) {
            int x0 = MARGIN_L + (i % COLUMNS) * (PANEL_W + GAP_X);
            int y0 = 70 + (i / COLUMNS) * (PANEL_H + GAP_Y) + MARGIN_T - 10;
            panel(
                    svg,
                    results.get(i),
                    x0,
                    y0,
                    xMax,
                    yMax,
                    healthy,
                    results.get(i).strategy().equals("sluice") ? c.sluiceStages() : List.of(),
                    c.scenario().plan().stages().stream()
                            .map(dev.sluice.plan.Stage::name)
                            .toList());
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void legend(StringBuilder svg, int x, int y) {
        String[][] items = {
            {CAPACITY, "tier capacity", String.valueOf(CAPACITY_W)},
            {OFFERED, "offered by clients", String.valueOf(OFFERED_W)},
            {ADMITTED, "admitted to the tier", String.valueOf(ADMITTED_W)},
            {GOODPUT, "goodput (useful, in time)", String.valueOf(GOODPUT_W)}
        };
        int at = x;
        for (String[] item : items) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" " + "stroke-width=\"%s\"%s/>",
                    at,
                    y - 4,
                    at + 22,
                    y - 4,
                    item[0],
                    item[2],
                    item[0].equals(CAPACITY) ? " stroke-dasharray=\"5,3\"" : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", at + 27, y, item[1]));
            at += 40 + item[1].length() * 6;
        }
    }

    private static void panel(
            StringBuilder svg,
            SimulationResult r,
            int x0,
            int y0,
            int xMax,
            double yMax,
            double healthy,
            List<SluiceStrategy.StageChange> stages,
            List<String> stageNames) {
        String title = r.strategy() + " — "
                + (r.restored()
                        ? String.format(
                                Locale.ROOT,
                                "restored at %s (%.2f× T*)",
                                Comparison.seconds(r.restoredSeconds()),
                                r.restorationRatio())
                        : r.metastable() ? "metastable: never restored" : "not restored within the horizon");
        svg.append(String.format(
                Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, y0 - 6, escape(title)));
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " + "stroke=\"#bbbbbb\"/>%n",
                x0,
                y0,
                PANEL_W,
                PANEL_H));
        for (double level : new double[] {healthy, 2 * healthy}) {
            double y = y(level, y0, yMax);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eeeeee\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666666\">%s</text>%n",
                    x0,
                    y,
                    x0 + PANEL_W,
                    y,
                    x0 - 4,
                    y + 4,
                    Comparison.count(level)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666666\">0</text>%n",
                x0 - 4,
                y0 + PANEL_H + 4));
        int tick = tickSeconds(xMax);
        for (int at = 0; at <= xMax; at += tick) {
            double x = x0 + (double) at / xMax * PANEL_W;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999999\"/>"
                            + "<text class=\"tick\" data-seconds=\"%d\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                            + "fill=\"#666666\">%s</text>%n",
                    x,
                    y0 + PANEL_H,
                    x,
                    y0 + PANEL_H + 4,
                    at,
                    x,
                    y0 + PANEL_H + 15,
                    at == 0 ? "0" : Scenario.duration(at)));
        }
        double lastLabelX = Double.NEGATIVE_INFINITY;
        int unlabelled = 0;
        int lastStage = -1;
        for (SluiceStrategy.StageChange s : stages) {
            double x = x0 + s.atSeconds() / xMax * PANEL_W;
            int stage = stageNames.indexOf(s.stage());
            boolean back = stage < lastStage;
            lastStage = stage;
            if (s.atSeconds() > xMax) {
                continue;
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" " + "stroke-dasharray=\"2,2\"/>%n",
                    x,
                    y0,
                    x,
                    y0 + PANEL_H,
                    back ? "#e03131" : "#c9b6e4"));
            // A label closer to the previous one than its own width moves right, so none overprints;
            // one that would drift too far from its line, or out of the panel, is left out.
            double labelX = Math.max(x + 9, lastLabelX + LABEL_W);
            if (labelX > x + LABEL_DRIFT || labelX > x0 + PANEL_W - 2) {
                unlabelled++;
                continue;
            }
            lastLabelX = labelX;
            String label = !s.status().equals("running") ? s.status() : (back ? "back to " : "") + s.stage();
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"stage\" x=\"%.1f\" y=\"%d\" font-size=\"9\" fill=\"%s\" "
                            + "transform=\"rotate(-90 %.1f %d)\">%s</text>%n",
                    labelX,
                    y0 + PANEL_H - 3,
                    back ? "#c92a2a" : "#7048a8",
                    labelX,
                    y0 + PANEL_H - 3,
                    escape(label)));
        }
        if (unlabelled > 0) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"unlabelled\" x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"9\" "
                            + "fill=\"#7048a8\">%d more stage changes, not labelled</text>%n",
                    x0 + PANEL_W,
                    y0 + PANEL_H + 27,
                    unlabelled));
        }
        Timeline t = r.timeline();
        line(svg, t.offered(), x0, y0, xMax, yMax, OFFERED, OFFERED_W, false);
        line(svg, t.admitted(), x0, y0, xMax, yMax, ADMITTED, ADMITTED_W, false);
        line(svg, t.goodput(), x0, y0, xMax, yMax, GOODPUT, GOODPUT_W, false);
        line(svg, t.capacity(), x0, y0, xMax, yMax, CAPACITY, CAPACITY_W, true);
        // Lines that ran off the top: their peaks, one label under another in the panel's corner.
        int clipped = 0;
        String[][] lines = {{"offered", OFFERED}, {"admitted", ADMITTED}, {"goodput", GOODPUT}, {"capacity", CAPACITY}};
        List<List<Double>> values = List.of(t.offered(), t.admitted(), t.goodput(), t.capacity());
        for (int i = 0; i < lines.length; i++) {
            double peak = peak(values.get(i), xMax);
            if (peak > yMax) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<text class=\"clipped\" x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"%s\">"
                                + "▲ %s off the scale: peak %s/s (%.1f× capacity)</text>%n",
                        x0 + 4,
                        y0 + 11 + 11 * clipped,
                        lines[i][1],
                        lines[i][0],
                        Comparison.count(peak),
                        peak / healthy));
                clipped++;
            }
        }
    }

    /** The largest per-second value shown (the first {@code xMax} seconds). */
    private static double peak(List<Double> values, int xMax) {
        double peak = 0;
        for (int i = 0; i < Math.min(values.size(), xMax); i++) {
            peak = Math.max(peak, values.get(i));
        }
        return peak;
    }

    /** The smallest round step that labels {@code xMax} seconds with at most {@link #MAX_TICKS} intervals. */
    static int tickSeconds(int xMax) {
        for (int step : TICK_SECONDS) {
            if (xMax / step <= MAX_TICKS) {
                return step;
            }
        }
        return TICK_SECONDS[TICK_SECONDS.length - 1];
    }

    /** A polyline of per-second values, thinned to at most one point per pixel column. */
    private static void line(
            StringBuilder svg,
            List<Double> values,
            int x0,
            int y0,
            int xMax,
            double yMax,
            String colour,
            double width,
            boolean dashed) {
        int n = Math.min(values.size(), xMax);
        int every = Math.max(1, n / PANEL_W);
        svg.append("<polyline fill=\"none\" stroke=\"")
                .append(colour)
                .append("\" stroke-width=\"")
                .append(width)
                .append('"')
                .append(dashed ? " stroke-dasharray=\"5,3\"" : "")
                .append(" stroke-linejoin=\"round\" points=\"");
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < n; i += every) {
            double v = 0;
            int count = 0;
            for (int j = i; j < Math.min(n, i + every); j++) {
                v += values.get(j);
                count++;
            }
            double x = x0 + (double) i / xMax * PANEL_W;
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(v / count, y0, yMax)));
            if (v / count > yMax) {
                // A tick above the top edge where the line is clipped.
                marks.append(String.format(Locale.ROOT, "M%.1f %d v-4 ", x, y0));
            }
        }
        svg.append("\"/>\n");
        if (!marks.isEmpty()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<path class=\"clipped-mark\" d=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                    marks.toString().trim(),
                    colour));
        }
    }

    private static double y(double value, int y0, double yMax) {
        return y0 + PANEL_H - Math.min(value, yMax) / yMax * PANEL_H;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
