package dev.sluice.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a document shows after a command, compared with what the command printed.
 *
 * <p>Each shown line must match one printed line in full, in order, except that a line of only
 * {@code ...} stands for any number of lines (none included), {@code ...} inside a line for any text,
 * and a placeholder such as {@code <id>}, {@code <time>} or {@code <token>} (lower-case letters,
 * digits and dashes in angle brackets) for any non-empty text. Trailing white space and carriage
 * returns (curl's header lines) are ignored, and so are empty lines at the end.
 */
final class ExpectedOutput {
    private static final Pattern WILDCARD = Pattern.compile("<[a-z][a-z0-9-]*>|\\.\\.\\.");

    private final List<String> shown;
    private final List<Pattern> patterns = new ArrayList<>();

    ExpectedOutput(List<String> shown) {
        this.shown = shown;
        for (String line : shown) {
            patterns.add(line.strip().equals("...") ? null : linePattern(line.stripTrailing()));
        }
    }

    static List<String> printedLines(String printed) {
        List<String> lines = new ArrayList<>();
        for (String line : printed.replace("\r", "").split("\n", -1)) {
            lines.add(line.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    boolean matches(List<String> printed) {
        return matchFrom(0, printed, 0);
    }

    private boolean matchFrom(int shownIndex, List<String> printed, int printedIndex) {
        if (shownIndex == patterns.size()) {
            return printedIndex == printed.size();
        }
        Pattern pattern = patterns.get(shownIndex);
        if (pattern == null) {
            for (int skip = printedIndex; skip <= printed.size(); skip++) {
                if (matchFrom(shownIndex + 1, printed, skip)) {
                    return true;
                }
            }
            return false;
        }
        return printedIndex < printed.size()
                && pattern.matcher(printed.get(printedIndex)).matches()
                && matchFrom(shownIndex + 1, printed, printedIndex + 1);
    }

    List<String> shown() {
        return shown;
    }

    private static Pattern linePattern(String line) {
        StringBuilder regex = new StringBuilder();
        Matcher wildcard = WILDCARD.matcher(line);
        int at = 0;
        while (wildcard.find()) {
            regex.append(Pattern.quote(line.substring(at, wildcard.start())));
            regex.append(wildcard.group().equals("...") ? ".*?" : ".+?");
            at = wildcard.end();
        }
        regex.append(Pattern.quote(line.substring(at)));
        return Pattern.compile(regex.toString());
    }
}
