package dev.sluice.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent samples of one run's health sources, kept for the longest gate window. Thread-safe.
 * Lives in the memory of the replica that runs the loop; after a restart or a change of leader the
 * windows start empty, which reads as unknown until samples arrive (hold, never advance).
 */
public final class HealthHistory {
    private final Duration keep;
    private final Map<String, Deque<HealthSample>> bySource = new HashMap<>();

    public HealthHistory(Duration keep) {
        this.keep = keep;
    }

    public synchronized void add(HealthSample sample) {
        Deque<HealthSample> samples = bySource.computeIfAbsent(sample.source(), k -> new ArrayDeque<>());
        samples.addLast(sample);
        Instant oldest = sample.at().minus(keep);
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
            samples.removeFirst();
        }
    }

    /** A copy of every source's samples, oldest first. */
    public synchronized Map<String, List<HealthSample>> snapshot() {
        Map<String, List<HealthSample>> copy = new HashMap<>();
        bySource.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }
}
