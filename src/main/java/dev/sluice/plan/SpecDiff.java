package dev.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.domain.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two versions of a plan, field by field, as JSON pointers with the value
 * before and after (absent on one side for added or removed fields). Pure and deterministic.
 */
public final class SpecDiff {
    /** @param before the old value as JSON text, null when added; {@code after} likewise when removed */
    public record Change(String pointer, String before, String after) {
        @Override
        public String toString() {
            return pointer + ": " + (before == null ? "(none)" : before) + " -> " + (after == null ? "(none)" : after);
        }
    }

    private SpecDiff() {}

    public static List<Change> between(RestorePlan before, RestorePlan after) {
        List<Change> changes = new ArrayList<>();
        diff("", Json.tree(before), Json.tree(after), changes);
        return changes;
    }

    private static void diff(String at, JsonNode a, JsonNode b, List<Change> out) {
        if (a == null || a.isNull()) {
            if (b != null && !b.isNull()) {
                out.add(new Change(at, null, b.toString()));
            }
            return;
        }
        if (b == null || b.isNull()) {
            out.add(new Change(at, a.toString(), null));
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(fields::add);
            b.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                diff(at + "/" + f, a.get(f), b.get(f), out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                diff(at + "/" + i, a.get(i), b.get(i), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(new Change(at, a.toString(), b.toString()));
        }
    }

    /** A readable summary, e.g. "2 changes: /tier/capacityPerSecond: 10000.0 -> 12000.0; ...". */
    public static String summary(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no change to the spec";
        }
        StringBuilder sb = new StringBuilder(changes.size() + (changes.size() == 1 ? " change: " : " changes: "));
        Iterator<Change> it = changes.iterator();
        for (int i = 0; it.hasNext() && i < 10; i++) {
            sb.append(i == 0 ? "" : "; ").append(it.next());
        }
        if (changes.size() > 10) {
            sb.append("; and ").append(changes.size() - 10).append(" more (see details)");
        }
        return sb.toString();
    }
}
