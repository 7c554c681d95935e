package dev.sluice.sim;

/**
 * How much of what each service offers is let through to the tier in one step. A strategy may keep
 * state between steps; a fresh one is made for every simulation.
 */
public interface AdmissionStrategy {
    /**
     * Fills {@code admitted[i]}, at most {@code offered[i]}, for every service (indexed like
     * {@code view.services()}); the rest is refused (429).
     *
     * @param offered requests each service offers this step (new, backlog, retries and re-sends)
     */
    void admit(double[] offered, double[] admitted, SimulationView view);

    String name();
}
