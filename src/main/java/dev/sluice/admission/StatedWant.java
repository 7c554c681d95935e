package dev.sluice.admission;

/**
 * What a client says it wants, sent with a permit request. Without it the replica infers a
 * service's want from the permits its clients ask for; but a client that honours {@code Retry-After}
 * asks for little more than it is granted, so its backlog would show only slowly. A statement shows
 * it at once.
 *
 * <p>A client's want is:
 *
 * <ul>
 *   <li>{@code wantPerSecond} when stated: the client's whole desired rate, backlog replay
 *       included, but never less than draining a stated {@code backlog} within
 *       {@link #DRAIN_HORIZON_SECONDS}. Its permit asks then no longer count toward the service's
 *       want while the statement lives;
 *   <li>{@code backlog} alone: {@code backlog / DRAIN_HORIZON_SECONDS} on top of the permits it asks
 *       for (which keep counting, as for clients that state nothing).
 * </ul>
 *
 * @param clientId a stable id of the client instance: its latest statement replaces its previous one
 * @param wantPerSecond requests/s the client wants now, backlog replay included; null when not stated
 * @param backlog requests the client holds queued for the tier; null when not stated
 */
public record StatedWant(String clientId, Double wantPerSecond, Double backlog) {
    /** A stated backlog is wanted drained within this many seconds. */
    public static final double DRAIN_HORIZON_SECONDS = 10;

    /** Whether the request states anything (a client id alone states nothing). */
    public boolean statesAnything() {
        return wantPerSecond != null || backlog != null;
    }

    /** Whether the statement replaces the inference from the client's asks. */
    public boolean statesRate() {
        return wantPerSecond != null;
    }

    /** Requests/s the statement adds to the service's want (beyond counted asks). */
    public double perSecond() {
        double drain = backlog == null ? 0 : Math.max(0, backlog) / DRAIN_HORIZON_SECONDS;
        return wantPerSecond == null ? drain : Math.max(Math.max(0, wantPerSecond), drain);
    }
}
