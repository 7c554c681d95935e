package dev.sluice.client;

import java.time.Duration;

/** Admission for one service's requests to the recovering tier. Thread-safe. */
public interface Limiter extends AutoCloseable {
    /** Whether one request may be sent now; never waits (see the implementation for network use). */
    boolean tryAcquire();

    /**
     * Waits up to {@code timeout} for one request to be admitted.
     *
     * @return false when it was not admitted in time (or the limiter is closed)
     */
    boolean acquire(Duration timeout) throws InterruptedException;

    /** What is enforced now. */
    Admission admission();

    /** Stops asking Sluice and gives back what the client holds (a lease). */
    @Override
    void close();
}
