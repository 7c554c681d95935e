package dev.sluice.sim;

import java.util.List;

/**
 * One strategy's simulation, second by second (index = seconds since the tier came back), in
 * requests/s: what the tier could serve, what clients offered (new work, backlog, retries and
 * re-sends), what was admitted to the tier, and what was served usefully in time.
 */
public record Timeline(
        List<Double> capacity,
        List<Double> offered,
        List<Double> admitted,
        List<Double> goodput,
        List<Double> latencySeconds) {

    public Timeline {
        capacity = List.copyOf(capacity);
        offered = List.copyOf(offered);
        admitted = List.copyOf(admitted);
        goodput = List.copyOf(goodput);
        latencySeconds = List.copyOf(latencySeconds);
    }

    public int seconds() {
        return capacity.size();
    }
}
