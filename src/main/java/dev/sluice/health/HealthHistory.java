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
 * windows start empty, which reads as unknown until samples arrive (hold, never advance). A sample
 * is as old as the reading it stands for (a pushed report: when it arrived), so nothing read before
 * a restart or an outage counts once it is older than a gate's window.
 */
public final class HealthHistory {
    private final Duration keep;
    private final Map<String, Deque<HealthSample>> bySource = new HashMap<>();

    public HealthHistory(Duration keep) {
        this.keep = keep;
    }

    /**
     * Adds a sample in time order. The same sample read again (a pushed report re-read on the next
     * tick: same source, time and values) is kept once, so it weighs once in a window.
     */
    public synchronized void add(HealthSample sample) {
        Deque<HealthSample> samples = bySource.computeIfAbsent(sample.source(), k -> new ArrayDeque<>());
        if (samples.isEmpty() || !samples.peekLast().at().isAfter(sample.at())) {
            if (sample.equals(samples.peekLast())) {
                return;
            }
            samples.addLast(sample);
        } else {
            List<HealthSample> later = new ArrayList<>();
            while (!samples.isEmpty() && samples.peekLast().at().isAfter(sample.at())) {
                later.add(0, samples.removeLast());
            }
            if (!sample.equals(samples.peekLast())) {
                samples.addLast(sample);
            }
            samples.addAll(later);
        }
        Instant oldest = samples.peekLast().at().minus(keep);
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
