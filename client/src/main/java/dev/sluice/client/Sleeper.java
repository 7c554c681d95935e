package dev.sluice.client;

import java.time.Duration;

/**
 * How a blocking {@code acquire} waits. The real one sleeps; tests pass one that moves their clock,
 * so that waiting is as deterministic as the rest.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()), (int) Math.max(0, d.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
