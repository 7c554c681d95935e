package dev.sluice.sim;

import java.util.List;

/**
 * A dependent service as the simulator sees it: steady demand, the backlog built up during the
 * outage (sent at up to {@code backlogPerSecond} on top of the demand), a timeout after which a
 * waiting client gives up, and immediate retries up to {@code maxAttempts} attempts in all.
 *
 * @param respectsShedding a refused (429) request is sent again later without spending an attempt,
 *     as a client that honours Retry-After does; otherwise a refusal counts as a failed attempt
 */
public record ClientProfile(String name, double demandPerSecond, double backlog, double backlogPerSecond,
                            double timeoutSeconds, int maxAttempts, List<String> dependsOn,
                            boolean respectsShedding) {
}
