package dev.sluice.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of
 * context around each change. Plans are small (at most a megabyte, in practice a few hundred lines).
 */
final class LineDiff {
    static final int CONTEXT = 3;

    private LineDiff() {}

    private record Edit(char op, String line, int oldLine, int newLine) {}

    static String unified(String fromName, String toName, String from, String to) {
        List<String> a = from.lines().toList();
        List<String> b = to.lines().toList();
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return fromName + " and " + toName + " are the same\n";
        }
        StringBuilder out = new StringBuilder("--- " + fromName + "\n+++ " + toName + "\n");
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while the next change is within two contexts of the last one.
            int lastChange = i;
            while (end < edits.size() && end - lastChange <= 2 * CONTEXT) {
                if (edits.get(end).op() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            List<Edit> hunk = edits.subList(start, end);
            long oldCount = hunk.stream().filter(e -> e.op() != '+').count();
            long newCount = hunk.stream().filter(e -> e.op() != '-').count();
            out.append("@@ -")
                    .append(hunk.get(0).oldLine())
                    .append(',')
                    .append(oldCount)
                    .append(" +")
                    .append(hunk.get(0).newLine())
                    .append(',')
                    .append(newCount)
                    .append(" @@\n");
            hunk.forEach(e -> out.append(e.op()).append(e.line()).append('\n'));
            i = end;
        }
        return out.toString();
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Edit('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return edits;
    }
}
