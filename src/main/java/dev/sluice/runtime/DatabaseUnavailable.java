package dev.sluice.runtime;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for "the database cannot be reached right now", as opposed to a bug or a refused
 * statement: the answer to it is a 503 with {@code Retry-After}, never a 500 (see {@code
 * dev.sluice.api.ProblemResponses}). The failure arrives wrapped differently by each layer (the
 * PostgreSQL driver, Agroal's pool, Hibernate, the transaction manager), so the cause chain is
 * searched for any of:
 *
 * <ul>
 *   <li>a {@link SQLException} of SQL state class {@code 08} (connection exception: refused, broken,
 *       reset, and a server that went silent: the driver reports its socket timeout, {@code
 *       sluice.database-socket-timeout}, and its login timeout as {@code 08006} and {@code 08001})
 *       or {@code 57P01..57P03} (the server is shutting down, crashed, or not accepting yet);
 *   <li>the JDBC connection exception types;
 *   <li>Agroal's acquisition timeout ({@code quarkus.datasource.jdbc.acquisition-timeout}, which
 *       bounds how long a request waits for a connection).
 * </ul>
 *
 * A {@link java.net.SocketTimeoutException} alone is not one of them: the driver always wraps its own
 * in an {@code 08006}, and one without that wrapper is some other system's (a health target's).
 *
 * Also thrown directly ({@link #DatabaseUnavailable(String, Throwable)}) where a shell has already
 * decided, e.g. token verification that has no cached answer to fall back on.
 */
public final class DatabaseUnavailable extends RuntimeException {
    /** Seconds a client is told to wait: about how long a pool takes to notice the server is back. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final String ACQUISITION_TIMEOUT = "Acquisition timeout";

    public DatabaseUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    /** The connection failure somewhere in {@code e}'s cause chain, if there is one. */
    public static Optional<Throwable> in(Throwable e) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailable
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return Optional.of(t);
            }
            if (t instanceof SQLException sql && isConnectionFailure(sql)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** True when {@code e} (or a cause) says the database cannot be reached. */
    public static boolean isCause(Throwable e) {
        return in(e).isPresent();
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        if (state != null
                && (state.startsWith("08")
                        || state.equals("57P01")
                        || state.equals("57P02")
                        || state.equals("57P03"))) {
            return true;
        }
        return state == null && e.getMessage() != null && e.getMessage().startsWith(ACQUISITION_TIMEOUT);
    }
}
