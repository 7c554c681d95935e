package dev.sluice.control;

import java.util.Map;

/**
 * Where the controller learns what each service's clients want, summed over every replica that
 * admits for the run. Admission provides it; the controller only reads it.
 */
public interface ServiceWants {
    /** Per service of the run, requests/s its clients asked for lately; empty when nothing is known. */
    Map<String, Double> wantedPerSecond(String runId);
}
