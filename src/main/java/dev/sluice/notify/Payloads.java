package dev.sluice.notify;

import dev.sluice.domain.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body a notice is delivered as, in each {@link Format}. Pure; thread-safe. */
public final class Payloads {
    /** The CloudEvents {@code source} of every event: Sluice's runs. */
    public static final String SOURCE_PREFIX = "/sluice/plans/";

    private Payloads() {}

    public static String body(Notice n, Format format) {
        return switch (format) {
            case CLOUDEVENTS -> Json.write(cloudEvent(n));
            case SLACK -> Json.write(slack(n));
        };
    }

    /** CloudEvents 1.0 structured JSON: the required attributes, {@code subject}, {@code time}, data. */
    static Map<String, Object> cloudEvent(Notice n) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", n.id());
        e.put("source", SOURCE_PREFIX + n.planName() + "/runs/" + n.runId());
        e.put("type", n.type().cloudEventType());
        e.put("subject", n.runId());
        e.put("time", n.occurredAt().toString());
        e.put("datacontenttype", "application/json");
        e.put("data", data(n));
        return e;
    }

    private static Map<String, Object> data(Notice n) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("event", n.type().wireName());
        d.put("plan", n.planName());
        d.put("run", n.runId());
        d.put("stage", n.stage());
        d.put("subject", n.subject());
        d.put("from", n.from());
        d.put("to", n.to());
        d.put("reason", n.reason());
        d.put("actor", n.actor());
        d.put("reminder", n.reminder());
        return d;
    }

    /** Slack's incoming-webhook body: {@code text} (also the notification's preview) and one section. */
    static Map<String, Object> slack(Notice n) {
        String text = headline(n);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", "section");
        section.put(
                "text",
                Map.of(
                        "type",
                        "mrkdwn",
                        "text",
                        "*" + escape(text) + "*\n" + escape(n.reason() == null ? "" : n.reason()) + "\nrun `"
                                + escape(n.runId()) + "` · stage " + escape(String.valueOf(n.stage())) + " · by "
                                + escape(n.actor())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("blocks", List.of(section));
        return m;
    }

    /** One line for people: {@code demo: run paused} (what, of which plan). */
    static String headline(Notice n) {
        String what = switch (n.type()) {
            case RUN_STARTED -> "run started";
            case STAGE_ADVANCED -> "stage advanced " + n.from() + " → " + n.to();
            case STAGE_STEPPED_BACK -> "stepped back " + n.from() + " → " + n.to();
            case RUN_PAUSED -> n.reminder() ? "run still paused" : "run paused";
            case APPROVAL_NEEDED -> "approval needed for stage " + n.to();
            case HEALTH_UNKNOWN -> "health unknown";
            case RUN_RESUMED -> "run resumed";
            case RUN_COMPLETED -> "run completed";
            case RUN_ABORTED -> "run aborted";
            case OVERRIDE_SET -> "override set on " + n.subject();
            case OVERRIDE_EXPIRED -> "override expired on " + n.subject();
            case NOTIFICATION_TEST -> "test notification";
        };
        return n.planName() + ": " + what;
    }

    /** Slack's mrkdwn control characters. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
