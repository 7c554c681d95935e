package dev.sluice.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Prometheus series selector as a {@code scrape} source names it: a metric name, optionally with
 * label matchers, {@code kv_requests_total{code=~"5..", route!="/healthz"}}. Matchers are PromQL's:
 * {@code =} and {@code !=} compare the label's value (an absent label is the empty string),
 * {@code =~} and {@code !~} match it against a regular expression anchored at both ends (Java's
 * syntax, close to PromQL's RE2 for the usual patterns). Label values are double-quoted, with
 * {@code \\}, {@code \"} and {@code \n} escapes. Immutable; pure.
 */
public record SeriesSelector(String name, List<Matcher> matchers) {
    /** The metric names of the exposition format. */
    public static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public SeriesSelector {
        matchers = List.copyOf(matchers);
    }

    /** One label matcher. */
    public record Matcher(String label, Op op, String value, Pattern regex) {
        public boolean matches(String actual) {
            String v = actual == null ? "" : actual;
            return switch (op) {
                case EQUAL -> v.equals(value);
                case NOT_EQUAL -> !v.equals(value);
                case MATCH -> regex.matcher(v).matches();
                case NOT_MATCH -> !regex.matcher(v).matches();
            };
        }
    }

    public enum Op {
        EQUAL,
        NOT_EQUAL,
        MATCH,
        NOT_MATCH
    }

    /** Whether a series of this selector's metric with these labels is selected. */
    public boolean matches(Map<String, String> labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.label()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a selector.
     *
     * @throws IllegalArgumentException naming what is wrong and where, e.g. {@code "at 12: expected
     *     '=', '!=', '=~' or '!~'"}
     */
    public static SeriesSelector parse(String text) {
        return new Parser(text).selector();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        SeriesSelector selector() {
            skipBlanks();
            int start = i;
            while (i < s.length()
                    && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) {
                i++;
            }
            String name = s.substring(start, i);
            if (!METRIC_NAME.matcher(name).matches()) {
                throw fail(start, "expected a metric name (letters, digits, '_' and ':', not starting with a digit)");
            }
            List<Matcher> matchers = new ArrayList<>();
            skipBlanks();
            if (i < s.length() && s.charAt(i) == '{') {
                i++;
                skipBlanks();
                while (i < s.length() && s.charAt(i) != '}') {
                    matchers.add(matcher());
                    skipBlanks();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                        skipBlanks();
                    } else if (i < s.length() && s.charAt(i) != '}') {
                        throw fail(i, "expected ',' or '}'");
                    }
                }
                if (i >= s.length()) {
                    throw fail(i, "expected '}'");
                }
                i++;
                skipBlanks();
            }
            if (i != s.length()) {
                throw fail(i, "unexpected '" + s.charAt(i) + "' after the selector");
            }
            return new SeriesSelector(name, matchers);
        }

        private Matcher matcher() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String label = s.substring(start, i);
            if (!LABEL_NAME.matcher(label).matches()) {
                throw fail(start, "expected a label name");
            }
            skipBlanks();
            Op op;
            if (s.startsWith("=~", i)) {
                op = Op.MATCH;
            } else if (s.startsWith("!~", i)) {
                op = Op.NOT_MATCH;
            } else if (s.startsWith("!=", i)) {
                op = Op.NOT_EQUAL;
            } else if (s.startsWith("=", i)) {
                op = Op.EQUAL;
            } else {
                throw fail(i, "expected '=', '!=', '=~' or '!~'");
            }
            i += op == Op.EQUAL ? 1 : 2;
            skipBlanks();
            int valueAt = i;
            String value = quoted();
            Pattern regex = null;
            if (op == Op.MATCH || op == Op.NOT_MATCH) {
                try {
                    regex = Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw fail(valueAt, "invalid regular expression: " + e.getDescription());
                }
            }
            return new Matcher(label, op, value, regex);
        }

        private String quoted() {
            if (i >= s.length() || s.charAt(i) != '"') {
                throw fail(i, "expected a double-quoted label value");
            }
            i++;
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case '\\', '"' -> b.append(e);
                        case 'n' -> b.append('\n');
                        default -> throw fail(i - 2, "unknown escape \\" + e + " (use \\\\, \\\" or \\n)");
                    }
                } else {
                    b.append(c);
                }
            }
            if (i >= s.length()) {
                throw fail(i, "unterminated label value");
            }
            i++;
            return b.toString();
        }

        private void skipBlanks() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private IllegalArgumentException fail(int at, String what) {
            return new IllegalArgumentException("at " + (at + 1) + ": " + what);
        }
    }
}
