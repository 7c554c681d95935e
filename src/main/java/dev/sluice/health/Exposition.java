package dev.sluice.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads samples out of a Prometheus text exposition (format 0.0.4, which OpenMetrics text also
 * parses as for the lines read here). Pure.
 *
 * <p>Only the lines of the metrics asked for are parsed: other lines, however odd, are skipped, so a
 * quirk elsewhere in a big {@code /metrics} cannot blind a gate. A malformed line of a metric asked
 * for makes the whole exposition unreadable, as it would fail a Prometheus scrape. Values follow
 * Prometheus: decimal numbers, {@code NaN}, {@code +Inf}, {@code -Inf}; a timestamp after the value,
 * and an OpenMetrics exemplar after {@code #}, are ignored.
 */
public final class Exposition {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Exposition() {}

    /** One sample: a series and its value. */
    public record Series(String name, Map<String, String> labels, double value) {
        public Series {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * What was read.
     *
     * @param series the samples of the metrics asked for, in exposition order
     * @param present the metrics asked for that the exposition mentions (a sample, {@code # TYPE} or
     *     {@code # HELP}), even without a sample
     * @param problem why the exposition is unreadable, null when it is not
     */
    public record Parsed(List<Series> series, Set<String> present, String problem) {
        public Parsed {
            series = List.copyOf(series);
            present = Set.copyOf(present);
        }
    }

    public static Parsed parse(String body, Set<String> names) {
        List<Series> series = new ArrayList<>();
        Set<String> present = new HashSet<>();
        Set<String> seen = new HashSet<>();
        int lineNumber = 0;
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                end = body.length();
            }
            lineNumber++;
            String line = body.substring(start, end > start && body.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            String problem = line(line, names, series, present, seen);
            if (problem != null) {
                return new Parsed(List.of(), present, "line " + lineNumber + ": " + problem);
            }
        }
        return new Parsed(series, present, null);
    }

    /** Parses one line into {@code series}; the problem if it is a malformed line of a metric asked for. */
    private static String line(
            String line, Set<String> names, List<Series> series, Set<String> present, Set<String> seen) {
        int i = skipBlanks(line, 0);
        if (i >= line.length()) {
            return null;
        }
        if (line.charAt(i) == '#') {
            String[] tokens = line.substring(i + 1).trim().split("[ \t]+", 3);
            if (tokens.length >= 2
                    && (tokens[0].equals("TYPE") || tokens[0].equals("HELP"))
                    && names.contains(tokens[1])) {
                present.add(tokens[1]);
            }
            return null;
        }
        int nameEnd = i;
        while (nameEnd < line.length() && isNameChar(line.charAt(nameEnd), nameEnd == i)) {
            nameEnd++;
        }
        String name = line.substring(i, nameEnd);
        if (!names.contains(name)) {
            return null;
        }
        present.add(name);
        Map<String, String> labels = new TreeMap<>();
        i = skipBlanks(line, nameEnd);
        if (i >= line.length() || line.charAt(i) != '{') {
            i = nameEnd;
        } else {
            i = skipBlanks(line, i + 1);
            while (i < line.length() && line.charAt(i) != '}') {
                int labelStart = i;
                while (i < line.length() && isLabelChar(line.charAt(i), i == labelStart)) {
                    i++;
                }
                if (i == labelStart) {
                    return "expected a label name in " + name;
                }
                String label = line.substring(labelStart, i);
                i = skipBlanks(line, i);
                if (i >= line.length() || line.charAt(i) != '=') {
                    return "expected '=' after label " + label + " of " + name;
                }
                i = skipBlanks(line, i + 1);
                if (i >= line.length() || line.charAt(i) != '"') {
                    return "expected a quoted value for label " + label + " of " + name;
                }
                StringBuilder value = new StringBuilder();
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < line.length()) {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\', '"' -> value.append(e);
                            case 'n' -> value.append('\n');
                            default -> {
                                return "unknown escape \\" + e + " in label " + label + " of " + name;
                            }
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (i >= line.length()) {
                    return "unterminated value of label " + label + " of " + name;
                }
                if (labels.put(label, value.toString()) != null) {
                    return "label " + label + " given twice in " + name;
                }
                i = skipBlanks(line, i + 1);
                if (i < line.length() && line.charAt(i) == ',') {
                    i = skipBlanks(line, i + 1);
                } else if (i < line.length() && line.charAt(i) != '}') {
                    return "expected ',' or '}' in the labels of " + name;
                }
            }
            if (i >= line.length()) {
                return "expected '}' after the labels of " + name;
            }
            i++;
        }
        int valueStart = skipBlanks(line, i);
        if (valueStart == i && i < line.length()) {
            return "expected a blank before the value of " + name;
        }
        int valueEnd = valueStart;
        while (valueEnd < line.length() && line.charAt(valueEnd) != ' ' && line.charAt(valueEnd) != '\t') {
            valueEnd++;
        }
        if (valueStart == valueEnd) {
            return "no value for " + name;
        }
        String text = line.substring(valueStart, valueEnd);
        Double value = number(text);
        if (value == null) {
            return "\"" + abbreviate(text) + "\" is not a number (value of " + name + ")";
        }
        String rest = line.substring(valueEnd).trim();
        if (!rest.isEmpty() && !rest.startsWith("#") && !rest.split("[ \t]+", 2)[0].matches("-?\\d+(\\.\\d+)?")) {
            return "unexpected \"" + abbreviate(rest) + "\" after the value of " + name;
        }
        String id = name + labels;
        if (!seen.add(id)) {
            return "series " + id + " appears twice";
        }
        series.add(new Series(name, labels, value));
        return null;
    }

    /** A sample value as Prometheus reads it (Go's ParseFloat): a decimal, NaN or ±Inf; else null. */
    public static Double number(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (!DECIMAL.matcher(text).matches()) {
                    return null;
                }
                return Double.parseDouble(text);
            }
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || c == ':'
                || (!first && c >= '0' && c <= '9');
    }

    private static boolean isLabelChar(char c, boolean first) {
        return c != ':' && isNameChar(c, first);
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
