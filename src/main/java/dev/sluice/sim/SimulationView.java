package dev.sluice.sim;

import java.util.List;

/**
 * What a strategy may see at one step. Arrays are indexed like {@code services}, and are the
 * simulator's own: read them, do not keep or change them. Only the oracle looks at
 * {@code capacityPerSecond}, {@code backlog} and {@code live}: real strategies do not know the recovering tier's capacity, they see
 * its latency and errors, as their health sources would report them.
 *
 * @param queued requests waiting at the tier
 * @param latencySeconds how long a request joining the queue now would wait
 * @param tierErrorRatio over the last second, the share of attempts at the tier that timed out
 *     (refusals by the admission layer are not tier errors)
 * @param serviceErrorRatio per service, over the last second, the share of its attempts that failed:
 *     timed out, refused, or useless because a dependency was down
 * @param up per service, whether its goodput over the last second reached 95% of the requests that
 *     arrived for it in that second
 * @param backlog per service, durable work its clients still hold to replay (only the oracle looks)
 * @param live per service, how much of what it offers this step is live (interactive) work, which
 *     its clients spend an admission on first (only the oracle looks)
 */
public record SimulationView(
        List<String> services,
        double t,
        double dtSeconds,
        double capacityPerSecond,
        double queued,
        double latencySeconds,
        double tierErrorRatio,
        double[] serviceErrorRatio,
        boolean[] up,
        double[] backlog,
        double[] live) {}
