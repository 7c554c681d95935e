package dev.sluice.e2e;

/**
 * How a strategy lets a service's clients reach the tier. Called by the client loop once per tick
 * per service; never blocks (strategies that ask Sluice do so asynchronously and answer from
 * what Sluice granted so far).
 */
interface Admission extends AutoCloseable {

    /**
     * @param admitted how many of the wanted requests may go to the tier now
     * @param refused how many requests were refused (each counts as a failed attempt)
     * @param retryAfterMillis when refused: how long a client that honours Retry-After waits
     */
    record Decision(int admitted, int refused, long retryAfterMillis) {
        static final Decision NONE = new Decision(0, 0, 0);
    }

    /** @param wantedRequests requests ready to go now (live first, then backlog) */
    Decision decide(ServiceClient client, int wantedRequests, long nowNanos);

    /** A short name for tables. */
    String name();

    @Override
    default void close() {}

    /** Reopen everything: no limiter at all. */
    static Admission reopen() {
        return new Admission() {
            @Override
            public Decision decide(ServiceClient client, int wantedRequests, long nowNanos) {
                return new Decision(wantedRequests, 0, 0);
            }

            @Override
            public String name() {
                return "reopen";
            }
        };
    }
}
