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
 */
public record ClientProfile(
        String name,
        double demandPerSecond,
        double backlog,
        double backlogPerSecond,
        double timeoutSeconds,
        List<String> dependsOn,
        RetryPolicy retry,
        boolean honoursRetryAfter) {

    public ClientProfile {
        dependsOn = List.copyOf(dependsOn);
    }
}
