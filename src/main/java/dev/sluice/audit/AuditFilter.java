package dev.sluice.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which audit events a review asks for; every field optional. Turns into a parameterized SQL
 * condition (never string-built from input).
 *
 * @param text case-insensitive text in the reason
 * @param after cursor: only events past this id in the chosen order
 * @param newestFirst order by id descending
 */
public record AuditFilter(
        String plan,
        String run,
        String actor,
        String action,
        Instant since,
        Instant until,
        String text,
        Long after,
        boolean newestFirst) {

    /** The WHERE clause (without the keyword; "TRUE" when unfiltered) and its parameters, in order. */
    public Sql where() {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        add(conditions, params, "plan_name = ?", plan);
        add(conditions, params, "run_id = ?", run);
        add(conditions, params, "actor = ?", actor);
        add(conditions, params, "action = ?", action);
        add(conditions, params, "at >= ?", since == null ? null : java.sql.Timestamp.from(since));
        add(conditions, params, "at < ?", until == null ? null : java.sql.Timestamp.from(until));
        if (hasText()) {
            Sql textCondition = textCondition();
            conditions.add(textCondition.condition());
            params.addAll(textCondition.params());
        }
        add(conditions, params, newestFirst ? "id < ?" : "id > ?", after);
        return new Sql(conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions), params);
    }

    /** The same filter without its text condition. */
    public AuditFilter withoutText() {
        return new AuditFilter(plan, run, actor, action, since, until, null, after, newestFirst);
    }

    public boolean hasText() {
        return text != null && !text.isBlank();
    }

    /** The text condition alone (call only when {@link #hasText()}). */
    public Sql textCondition() {
        return new Sql(
                "reason ILIKE ? ESCAPE '\\'",
                List.of("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"));
    }

    public String orderBy() {
        return newestFirst ? "id DESC" : "id ASC";
    }

    public record Sql(String condition, List<Object> params) {}

    private static void add(List<String> conditions, List<Object> params, String condition, Object value) {
        if (value != null) {
            conditions.add(condition);
            params.add(value);
        }
    }
}
