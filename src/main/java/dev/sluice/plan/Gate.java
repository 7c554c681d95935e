package dev.sluice.plan;

/**
 * A health condition that must hold before the ramp advances.
 *
 * <p>Readings are taken over {@code windowSeconds}; the gate turns green after {@code greenSamples}
 * consecutive good samples and red after {@code redSamples} consecutive bad ones, so a flapping
 * signal cannot make the ramp oscillate.
 *
 * @param service for {@code service-error-rate}: which service
 * @param beforeStage optional: the gate only guards advancing into this stage
 */
public record Gate(
        String name,
        GateKind kind,
        String service,
        Double maxErrorRatio,
        Double maxLatencyMillis,
        Double percentile,
        Long windowSeconds,
        Integer greenSamples,
        Integer redSamples,
        String beforeStage) {}
