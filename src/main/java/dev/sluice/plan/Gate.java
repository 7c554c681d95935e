package dev.sluice.plan;

/**
 * A health condition that must hold before the ramp advances.
 *
 * <p>Readings are taken over {@code windowSeconds}; the gate turns green after {@code greenSamples}
 * consecutive good samples and red after {@code redSamples} consecutive bad ones, so a flapping
 * signal cannot make the ramp oscillate.
 *
 * @param service for {@code service-error-rate}: which service; for {@code metric}: the service whose
 *     source it reads (absent: a tier source)
 * @param beforeStage optional: the gate only guards advancing into this stage
 * @param source for {@code metric}: the name of the health source whose value it reads
 * @param min for {@code metric}: the lowest value that is green (at least one of min and max)
 * @param max for {@code metric}: the highest value that is green
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
        String beforeStage,
        String source,
        Double min,
        Double max) {

    /** A gate of the kinds that have no {@code source}, {@code min} or {@code max}. */
    public Gate(
            String name,
            GateKind kind,
            String service,
            Double maxErrorRatio,
            Double maxLatencyMillis,
            Double percentile,
            Long windowSeconds,
            Integer greenSamples,
            Integer redSamples,
            String beforeStage) {
        this(
                name,
                kind,
                service,
                maxErrorRatio,
                maxLatencyMillis,
                percentile,
                windowSeconds,
                greenSamples,
                redSamples,
                beforeStage,
                null,
                null,
                null);
    }
}
