package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run as an operator reads it during an incident: status, stage n/N, budget, each service's state
 * and rates, each gate's reading against its threshold, the latest transitions. Rendered from the
 * server's JSON ({@code GET /api/v1/runs/{id}}); a pure function, so a frame of {@code runs watch}
 * changes only when the run did.
 */
final class RunText {
    static final int RECENT_EVENTS = 6;

    private RunText() {}

    static String status(JsonNode run) {
        StringBuilder out = new StringBuilder();
        JsonNode stage = run.path("stage");
        out.append(String.format(
                Locale.ROOT,
                "run %s  plan %s v%d  %s%n",
                run.path("id").asText(),
                run.path("plan").asText(),
                run.path("planVersion").asInt(),
                run.path("status").asText().toUpperCase(Locale.ROOT)));
        if (run.hasNonNull("pauseReason")) {
            out.append("paused: ").append(run.get("pauseReason").asText()).append('\n');
        }
        String status = run.path("status").asText();
        String hold;
        if (!status.equals("running") && !status.equals("paused")) {
            hold = ""; // an ended run holds nothing
        } else if (stage.path("holdSkipped").asBoolean()) {
            hold = "hold skipped (promoted)";
        } else {
            hold = String.format(
                    Locale.ROOT,
                    "hold %d s of %d s left",
                    stage.path("holdRemainingSeconds").asLong(),
                    stage.path("holdSeconds").asLong());
        }
        out.append(String.format(
                Locale.ROOT,
                "stage %d/%d %s (%s of capacity)  budget %s  allocated %s%s%n",
                stage.path("index").asInt() + 1,
                stage.path("stages").asInt(),
                stage.path("name").asText(),
                percent(stage.path("share").asDouble()),
                rate(stage.path("budgetPerSecond")),
                rate(run.path("allocatedPerSecond")),
                hold.isEmpty() ? "" : "  " + hold));
        if (run.hasNonNull("ceiling")) {
            out.append("ceiling: ").append(run.get("ceiling").path("summary").asText());
            if (run.get("ceiling").path("settled").asBoolean()) {
                out.append(" (settled)");
            }
            out.append('\n');
        }
        if (run.hasNonNull("unknownHealthSince")) {
            out.append("health unknown since ")
                    .append(time(run.get("unknownHealthSince").asText()))
                    .append('\n');
        }
        out.append('\n');
        Table services =
                new Table("SERVICE", "STATE", "ALLOCATION", "DEMAND", "WANTED", "PRIORITY", "WAITS ON", "OVERRIDE");
        for (JsonNode s : run.path("services")) {
            services.row(
                    s.path("name").asText(),
                    s.path("status").asText(),
                    rate(s.path("allocationPerSecond")),
                    rate(s.path("demandPerSecond")),
                    rate(s.path("wantedPerSecond")),
                    s.path("priority").asText(),
                    String.join(",", strings(s.path("dependsOn"))),
                    override(s.path("override")));
        }
        out.append(services.render());
        if (!run.path("gates").isEmpty()) {
            out.append('\n');
            Table gates = new Table("GATE", "KIND", "STATE", "READING");
            for (JsonNode g : run.path("gates")) {
                gates.row(
                        g.path("name").asText(),
                        g.path("kind").asText(),
                        g.path("state").asText(),
                        reading(g));
            }
            out.append(gates.render());
        }
        JsonNode timeline = run.path("timeline");
        if (!timeline.isEmpty()) {
            out.append('\n');
            List<JsonNode> recent = new ArrayList<>();
            timeline.forEach(recent::add);
            out.append(timeline(recent.subList(Math.max(0, recent.size() - RECENT_EVENTS), recent.size())));
        }
        return out.toString();
    }

    /** A gate's reading: the server's own words ("error ratio 0.0010 <= 0.0500 over 10 s"), streaks. */
    static String reading(JsonNode gate) {
        JsonNode r = gate.path("reading");
        String words;
        if ("manual-approval".equals(gate.path("kind").asText())) {
            words = "before stage " + gate.path("beforeStage").asText();
        } else if (r.hasNonNull("detail")) {
            words = r.get("detail").asText();
        } else if (r.hasNonNull("value")) {
            words = r.get("value").asText() + " against " + r.path("threshold").asText();
        } else {
            words = "not read yet";
        }
        int green = gate.path("greenStreak").asInt();
        int red = gate.path("redStreak").asInt();
        if (green > 0 || red > 0) {
            words += red > 0 ? "  (red " + red + " in a row)" : "  (green " + green + " in a row)";
        }
        if (gate.hasNonNull("beforeStage")
                && !"manual-approval".equals(gate.path("kind").asText())) {
            words += "  before stage " + gate.get("beforeStage").asText();
        }
        return words;
    }

    /** Events of a run's timeline or the audit log, oldest first. */
    static String timeline(Iterable<JsonNode> events) {
        Table table = new Table("TIME", "ACTOR", "ACTION", "SUBJECT", "FROM", "TO", "REASON");
        for (JsonNode e : events) {
            table.row(
                    time(e.path("at").asText()),
                    e.path("actor").asText(),
                    e.path("action").asText(),
                    SluiceApi.text(e, "subject"),
                    SluiceApi.text(e, "from"),
                    SluiceApi.text(e, "to"),
                    SluiceApi.text(e, "reason"));
        }
        return table.render();
    }

    /** {@code 2026-12-01T10:22:50.123Z} as {@code 2026-12-01 10:22:50}. */
    static String time(String instant) {
        if (instant == null || instant.length() < 19 || instant.equals("null")) {
            return instant;
        }
        return instant.substring(0, 10) + " " + instant.substring(11, 19);
    }

    static String rate(JsonNode perSecond) {
        return perSecond == null || perSecond.isNull() || perSecond.isMissingNode()
                ? "-"
                : String.format(Locale.ROOT, "%.1f/s", perSecond.asDouble());
    }

    private static String percent(double share) {
        double p = share * 100;
        return p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
    }

    private static String override(JsonNode o) {
        if (o == null || o.isNull() || o.isMissingNode()) {
            return null;
        }
        return rate(o.path("ratePerSecond")) + " by " + o.path("actor").asText() + " until "
                + time(o.path("expiresAt").asText());
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
