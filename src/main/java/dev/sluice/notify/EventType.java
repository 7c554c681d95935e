package dev.sluice.notify;

import dev.sluice.control.Transition;
import dev.sluice.domain.WireNames;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a subscription can ask to hear about: the moments of a run that need a person's attention.
 * Wire names are the audit log's action names ({@code run-paused}); the CloudEvents type prefixes
 * them with {@code dev.sluice.}.
 */
public enum EventType {
    RUN_STARTED,
    STAGE_ADVANCED,
    STAGE_STEPPED_BACK,
    /** Carries why in its reason; re-announced while the run stays paused (see {@link Reminders}). */
    RUN_PAUSED,
    /** The run entered a stage whose next stage waits for an operator's approval. */
    APPROVAL_NEEDED,
    HEALTH_UNKNOWN,
    RUN_RESUMED,
    RUN_COMPLETED,
    RUN_ABORTED,
    OVERRIDE_SET,
    OVERRIDE_EXPIRED,
    /** A signed sample sent by the test action; no subscription asks for it, every one can get it. */
    NOTIFICATION_TEST;

    public static final String TYPE_PREFIX = "dev.sluice.";

    public String wireName() {
        return WireNames.of(this);
    }

    /** The CloudEvents {@code type} attribute. */
    public String cloudEventType() {
        return TYPE_PREFIX + wireName();
    }

    /** Whether a subscription may ask for it. */
    public boolean subscribable() {
        return this != NOTIFICATION_TEST;
    }

    /** @throws IllegalArgumentException naming the known names, for an unknown one */
    public static EventType of(String wireName) {
        for (EventType t : values()) {
            if (t.subscribable() && t.wireName().equals(wireName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event \"" + wireName + "\"; events are " + names());
    }

    public static String names() {
        return Arrays.stream(values())
                .filter(EventType::subscribable)
                .map(EventType::wireName)
                .collect(Collectors.joining(", "));
    }

    /** The event a recorded transition announces, if any (gate and service changes announce none). */
    public static Optional<EventType> of(Transition.Kind kind) {
        return Optional.ofNullable(
                switch (kind) {
                    case RUN_STARTED -> RUN_STARTED;
                    case STAGE_ADVANCED -> STAGE_ADVANCED;
                    case STAGE_STEPPED_BACK -> STAGE_STEPPED_BACK;
                    case RUN_PAUSED -> RUN_PAUSED;
                    case HEALTH_UNKNOWN -> HEALTH_UNKNOWN;
                    case RUN_RESUMED -> RUN_RESUMED;
                    case RUN_COMPLETED -> RUN_COMPLETED;
                    case RUN_ABORTED -> RUN_ABORTED;
                    case OVERRIDE_SET -> OVERRIDE_SET;
                    case OVERRIDE_EXPIRED -> OVERRIDE_EXPIRED;
                    default -> null;
                });
    }
}
