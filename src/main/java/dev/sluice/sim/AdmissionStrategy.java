package dev.sluice.sim;

import java.util.Map;

/** How much of what each service offers is let through to the tier in one step. */
public interface AdmissionStrategy {
    /**
     * @param offered requests each service offers this step
     * @param view what the strategy may know: time, capacity, the queue, which services are up
     * @return requests admitted per service, each at most what it offered; the rest is shed (429)
     */
    Map<String, Double> admit(Map<String, Double> offered, SimulationView view);

    String name();
}
