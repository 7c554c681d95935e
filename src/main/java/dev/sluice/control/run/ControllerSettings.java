package dev.sluice.control.run;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** The control loop's settings ({@code sluice.controller.*}); a value out of range stops start-up. */
@ConfigMapping(prefix = "sluice.controller")
interface ControllerSettings {
    /**
     * {@code sluice.controller.loop-enabled}, default {@code true}: whether this replica takes part in
     * running the control loop (the test profile turns it off and ticks runs itself).
     */
    @WithDefault("true")
    boolean loopEnabled();

    /**
     * {@code sluice.controller.loop-period}, default {@code 250ms}, 10 ms to 10 s: how often the loop
     * wakes. A run is ticked at the wake nearest its plan's {@code tickIntervalMillis} (so intervals
     * shorter than the period tick once a period), and a replica takes over a leader that went within
     * one period.
     */
    @WithDefault("250ms")
    @DurationMin(millis = 10)
    @DurationMax(seconds = 10)
    Duration loopPeriod();
}
