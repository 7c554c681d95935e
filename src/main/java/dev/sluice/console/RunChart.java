package dev.sluice.console;

import dev.sluice.control.Ramp;
import dev.sluice.control.RunSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A run's history as an inline SVG chart: budget (solid), admitted (dashed) and wanted (dotted),
 * requests/s over the run's time, each line named in the legend and at its end, so no line is told
 * apart by colour alone. Presentation attributes only (no {@code style}), as the console's
 * Content-Security-Policy allows no inline style. At most {@link #MAX_POINTS} points per line: a
 * longer history is thinned evenly, its newest sample always kept. Pure.
 */
public final class RunChart {
    static final int MAX_POINTS = 300;
    private static final int W = 720;
    private static final int H = 220;
    private static final int LEFT = 64;
    private static final int RIGHT = 86;
    private static final int TOP = 26;
    private static final int BOTTOM = 28;

    private RunChart() {}

    /** The chart, or null when there are fewer than two samples to draw a line through. */
    public static String svg(List<RunSample> samples) {
        if (samples.size() < 2) {
            return null;
        }
        List<RunSample> points = thinned(samples, MAX_POINTS);
        long startMillis = points.get(0).at().toEpochMilli();
        double spanMillis = Math.max(1, points.get(points.size() - 1).at().toEpochMilli() - startMillis);
        double yMax = 0;
        for (RunSample s : points) {
            yMax = Math.max(yMax, Math.max(s.budgetPerSecond(), s.admittedPerSecond()));
            if (s.wantedPerSecond() != null) {
                yMax = Math.max(yMax, s.wantedPerSecond());
            }
        }
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title\" id=\"run-chart\""
                        + " font-family=\"sans-serif\" font-size=\"11\" fill=\"#c9d1d9\">");
        svg.append("<title id=\"chart-title\">Budget, admitted and wanted, requests/s, over the last ")
                .append(Durations.of(Duration.ofMillis((long) spanMillis)))
                .append("</title>");
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = TOP + plotH - plotH * i / 4;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#30363d\" stroke-width=\"1\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT,
                    y,
                    LEFT + plotW,
                    y,
                    LEFT - 6,
                    y + 4,
                    Ramp.rate(v)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">%s ago</text><text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">now</text>",
                LEFT,
                H - 8,
                Durations.of(Duration.ofMillis((long) spanMillis)),
                LEFT + plotW,
                H - 8));
        line(svg, points, RunSample::budgetPerSecond, "budget", "#58a6ff", "", startMillis, spanMillis, yMax);
        line(svg, points, RunSample::admittedPerSecond, "admitted", "#3fb950", "6 4", startMillis, spanMillis, yMax);
        List<RunSample> wanted =
                points.stream().filter(s -> s.wantedPerSecond() != null).toList();
        if (wanted.size() >= 2) {
            line(svg, wanted, RunSample::wantedPerSecond, "wanted", "#d29922", "2 3", startMillis, spanMillis, yMax);
        }
        svg.append("<text x=\"")
                .append(LEFT)
                .append("\" y=\"16\">— budget   – – admitted   ··· wanted")
                .append(wanted.size() >= 2 ? "" : " (no client has said yet)")
                .append("</text>");
        svg.append("</svg>");
        return svg.toString();
    }

    private static void line(
            StringBuilder svg,
            List<RunSample> points,
            ToDoubleFunction<RunSample> value,
            String name,
            String colour,
            String dashes,
            long startMillis,
            double spanMillis,
            double yMax) {
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder path = new StringBuilder();
        double x = 0;
        double y = 0;
        for (RunSample s : points) {
            x = LEFT + plotW * (s.at().toEpochMilli() - startMillis) / spanMillis;
            y = TOP + plotH - plotH * value.applyAsDouble(s) / yMax;
            path.append(path.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        svg.append("<polyline id=\"line-")
                .append(name)
                .append("\" fill=\"none\" stroke=\"")
                .append(colour)
                .append("\" stroke-width=\"2\"")
                .append(dashes.isEmpty() ? "" : " stroke-dasharray=\"" + dashes + "\"")
                .append(" points=\"")
                .append(path)
                .append("\"/>");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s %s</text>",
                x + 4,
                y + 4,
                colour,
                name,
                Ramp.rate(value.applyAsDouble(points.get(points.size() - 1)))));
    }

    /** At most {@code max} samples, evenly spaced in the list, the first and the newest always kept. */
    static List<RunSample> thinned(List<RunSample> samples, int max) {
        if (samples.size() <= max) {
            return samples;
        }
        List<RunSample> kept = new ArrayList<>(max);
        double step = (samples.size() - 1) / (double) (max - 1);
        for (int i = 0; i < max; i++) {
            kept.add(samples.get((int) Math.round(i * step)));
        }
        return kept;
    }
}
