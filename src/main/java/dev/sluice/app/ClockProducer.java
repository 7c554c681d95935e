package dev.sluice.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The application's one source of time. Everything that needs "now" injects this {@link Clock};
 * tests replace it with a clock they move by hand.
 */
@ApplicationScoped
class ClockProducer {
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
