package dev.sluice.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * Noise control: a run that stays paused is announced again at most once per {@code every}, not
 * on every tick. Pure; thread-safe.
 */
public record Reminders(Duration every) {
    public Reminders {
        if (every.isNegative()) {
            throw new IllegalArgumentException("a reminder period is not negative");
        }
    }

    /** A zero period turns reminders off. */
    public boolean enabled() {
        return !every.isZero();
    }

    /**
     * Whether a paused run is due a reminder now.
     *
     * @param lastAnnouncedAt when its pause, or its latest reminder, was announced
     */
    public boolean due(Instant lastAnnouncedAt, Instant now) {
        return enabled() && !now.isBefore(lastAnnouncedAt.plus(every));
    }
}
