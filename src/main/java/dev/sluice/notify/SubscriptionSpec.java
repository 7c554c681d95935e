package dev.sluice.notify;

import dev.sluice.domain.DomainException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a subscription asks for, validated: where to ({@link TargetUrl}), which events, of which
 * plan (null for every plan), in which format. Immutable.
 */
public record SubscriptionSpec(URI url, Set<EventType> events, String planName, Format format) {
    static final String PLAN_NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    public SubscriptionSpec {
        events = Set.copyOf(events);
    }

    /**
     * Validates a request's fields.
     *
     * @throws DomainException naming the first field that breaks a rule, by JSON pointer
     */
    public static SubscriptionSpec of(String url, List<String> events, String plan, String format) {
        URI target = TargetUrl.parse("/url", url);
        if (events == null || events.isEmpty()) {
            throw DomainException.invalidField("/events", "min-items", "name at least one event: " + EventType.names());
        }
        Set<EventType> wanted = EnumSet.noneOf(EventType.class);
        List<String> given = new ArrayList<>(events);
        for (int i = 0; i < given.size(); i++) {
            try {
                wanted.add(EventType.of(given.get(i)));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalidField("/events/" + i, "event", e.getMessage());
            }
        }
        if (plan != null && !plan.matches(PLAN_NAME)) {
            throw DomainException.invalidField(
                    "/plan", "plan-name", "a plan name is 1 to 63 lower-case letters, digits and '-'");
        }
        Format f;
        try {
            f = format == null ? Format.CLOUDEVENTS : Format.of(format);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("/format", "format", e.getMessage());
        }
        return new SubscriptionSpec(target, wanted, plan, f);
    }

    public boolean wants(Notice n) {
        return events.contains(n.type()) && (planName == null || planName.equals(n.planName()));
    }
}
