package dev.sluice.notify;

import dev.sluice.domain.WireNames;

/** How a subscription wants its notifications written. */
public enum Format {
    /** CloudEvents 1.0, structured mode: the whole event is the JSON body. The default. */
    CLOUDEVENTS,
    /** A Slack-compatible message ({@code text} and {@code blocks}), for incoming-webhook URLs. */
    SLACK;

    public String wireName() {
        return WireNames.of(this);
    }

    /** The body's media type. */
    public String contentType() {
        return this == CLOUDEVENTS ? "application/cloudevents+json" : "application/json";
    }

    public static Format of(String wireName) {
        for (Format f : values()) {
            if (f.wireName().equals(wireName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format \"" + wireName + "\"; formats are cloudevents, slack");
    }
}
