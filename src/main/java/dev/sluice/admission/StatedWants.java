package dev.sluice.admission;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live {@link StatedWant}s of one service's clients on this replica: per client, the freshest
 * statement wins, and each expires like a lease does. Recording is one map write (the permit
 * path); summing sweeps expired statements (the want reporter). Thread-safe.
 */
final class StatedWants {
    private record Statement(double perSecond, boolean coversAsks, Instant expiresAt) {}

    private final Map<String, Statement> byClient = new ConcurrentHashMap<>();

    /**
     * Records a client's statement, replacing its previous one.
     *
     * @return whether the client's asks still count toward the service's want (no rate stated)
     */
    boolean record(StatedWant want, Instant expiresAt) {
        byClient.put(want.clientId(), new Statement(want.perSecond(), want.statesRate(), expiresAt));
        return !want.statesRate();
    }

    /** Whether a client has a live statement of its rate, so its asks are not counted. */
    boolean coversAsks(String clientId, Instant now) {
        Statement s = byClient.get(clientId);
        return s != null && s.coversAsks() && s.expiresAt().isAfter(now);
    }

    /** Sum of the live statements, requests/s; drops the expired ones. */
    double perSecond(Instant now) {
        double sum = 0;
        for (Map.Entry<String, Statement> e : byClient.entrySet()) {
            Statement s = e.getValue();
            if (s.expiresAt().isAfter(now)) {
                sum += s.perSecond();
            } else {
                byClient.remove(e.getKey(), s); // not a fresher statement recorded meanwhile
            }
        }
        return sum;
    }

    int live(Instant now) {
        return (int) byClient.values().stream()
                .filter(s -> s.expiresAt().isAfter(now))
                .count();
    }
}
