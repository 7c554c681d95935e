package dev.sluice.e2e;

/**
 * T*, the fluid lower bound on restoration: the earliest T at which the capacity the steady demand
 * leaves spare, ∫₀ᵀ max(0, C(t) − D) dt, covers the work owed, B + S (the clients' backlog plus the
 * tier's stale queue, which the tier serves first whatever anyone does). C is the tier's real
 * capacity without thrashing (an ideal controller never overloads it). While C(t) < D no spare
 * capacity accrues: requests arriving then cannot all be served and are not owed later.
 */
final class FluidBound {
    private FluidBound() {}

    /** @return T* in seconds, or infinity when it is not reached within {@code limitSeconds} */
    static double seconds(CapacitySchedule capacity, double demandPerSecond, double owedRequests, double limitSeconds) {
        if (owedRequests <= 0) {
            return 0;
        }
        double dt = 0.001;
        double spare = 0;
        for (double t = 0; t < limitSeconds; t += dt) {
            spare += Math.max(0, capacity.ratePerSecondAt(t + dt / 2) - demandPerSecond) * dt;
            if (spare >= owedRequests) {
                return t + dt;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
