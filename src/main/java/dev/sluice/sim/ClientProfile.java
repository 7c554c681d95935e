package dev.sluice.sim;

import java.util.List;

/**
 * A dependent service as the simulator sees it.
 *
 * @param demandPerSecond new requests per second, steadily
 * @param backlog requests kept during the outage and replayed once the tier is back
 * @param backlogPerSecond the fastest the clients replay their backlog, on top of the demand
 * @param timeoutSeconds how long a client waits for an answer before giving up on an attempt
 * @param dependsOn services that must be up for this one's requests to do useful work
 * @param retry what the client does when an attempt fails
 * @param honoursRetryAfter a refusal (429) is not a failed attempt: the client waits the
 *     Retry-After it was given and sends the same attempt again; otherwise a refusal is a failure
 *     like any other, handled by {@code retry}
 * @param patienceSeconds how long, on average, the caller of an interactive request keeps waiting
 *     out refusals before it gives up (exponentially distributed); only clients that honour
 *     Retry-After wait refusals out
 */
public record ClientProfile(
        String name,
        double demandPerSecond,
        double backlog,
        double backlogPerSecond,
        double timeoutSeconds,
        List<String> dependsOn,
        RetryPolicy retry,
        boolean honoursRetryAfter,
        double patienceSeconds) {

    public ClientProfile {
        dependsOn = List.copyOf(dependsOn);
    }

    /** A client with the default patience ({@value Scenario#DEFAULT_PATIENCE_SECONDS} s). */
    public ClientProfile(
            String name,
            double demandPerSecond,
            double backlog,
            double backlogPerSecond,
            double timeoutSeconds,
            List<String> dependsOn,
            RetryPolicy retry,
            boolean honoursRetryAfter) {
        this(
                name,
                demandPerSecond,
                backlog,
                backlogPerSecond,
                timeoutSeconds,
                dependsOn,
                retry,
                honoursRetryAfter,
                Scenario.DEFAULT_PATIENCE_SECONDS);
    }
}
