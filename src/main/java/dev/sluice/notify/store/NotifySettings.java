package dev.sluice.notify.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** Notification settings ({@code sluice.notify.*}); a value out of range stops start-up. */
@ConfigMapping(prefix = "sluice.notify")
public interface NotifySettings {
    /**
     * {@code sluice.notify.delivery-enabled}, default {@code true}: whether this replica delivers
     * when it leads the control loop (the test profile delivers by hand).
     */
    @WithDefault("true")
    boolean deliveryEnabled();

    /** {@code sluice.notify.delivery-period}, default {@code 1s}, 50 ms to 1 min: how often the leader looks for due deliveries. */
    @WithDefault("1s")
    @DurationMin(millis = 50)
    @DurationMax(minutes = 1)
    Duration deliveryPeriod();

    /** {@code sluice.notify.timeout}, default {@code 5s}, 100 ms to 1 min: how long one attempt may take. */
    @WithDefault("5s")
    @DurationMin(millis = 100)
    @DurationMax(minutes = 1)
    Duration timeout();

    /** {@code sluice.notify.deadline}, default {@code 24h}, 1 s to 7 days: past it, an undelivered event is dead-lettered. */
    @WithDefault("24h")
    @DurationMin(seconds = 1)
    @DurationMax(days = 7)
    Duration deadline();

    /** {@code sluice.notify.backoff-initial}, default {@code 1s}: the first retry's wait is at most this. */
    @WithDefault("1s")
    @DurationMin(millis = 10)
    @DurationMax(minutes = 10)
    Duration backoffInitial();

    /** {@code sluice.notify.backoff-max}, default {@code 5m}: no retry waits longer. */
    @WithDefault("5m")
    @DurationMin(millis = 10)
    @DurationMax(hours = 6)
    Duration backoffMax();

    /**
     * {@code sluice.notify.paused-reminder}, default {@code 30m}, 0 (off) to 1 day: how often a run
     * that stays paused is announced again.
     */
    @WithDefault("30m")
    @DurationMax(days = 1)
    Duration pausedReminder();

    /** {@code sluice.notify.rotation-overlap}, default {@code 24h}: how long a rotated-out secret still signs. */
    @WithDefault("24h")
    @DurationMin(seconds = 1)
    @DurationMax(days = 30)
    Duration rotationOverlap();

    /** {@code sluice.notify.per-target-concurrency}, default 2: deliveries in flight to one origin at once. */
    @WithDefault("2")
    @Min(1)
    @Max(32)
    int perTargetConcurrency();

    /** {@code sluice.notify.batch-size}, default 100: deliveries claimed per pass. */
    @WithDefault("100")
    @Min(1)
    @Max(1000)
    int batchSize();

    /**
     * {@code sluice.notify.retention}, default {@code 7d}, 1 day to 365 days: delivered deliveries,
     * and events with nothing left to deliver, older than this are deleted. At least a day, so the
     * latest announcement of a paused run (reminders are at most a day apart) is always kept.
     */
    @WithDefault("7d")
    @DurationMin(days = 1)
    @DurationMax(days = 365)
    Duration retention();

    /**
     * {@code sluice.notify.secret-key} ({@code SLUICE_NOTIFY_SECRET_KEY}): base64 of 32 bytes, the
     * key signing secrets are sealed with. Unset: a key generated once into {@code
     * <SLUICE_DATA_DIR>/notify-key} (owner-only).
     */
    Optional<String> secretKey();
}
