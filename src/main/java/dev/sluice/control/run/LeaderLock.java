package dev.sluice.control.run;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leadership of the control loop among replicas: a PostgreSQL session-level advisory lock, held on
 * one dedicated connection outside the pool (closing it really ends the session, which a pooled
 * connection would not). If the leader dies, its session ends, PostgreSQL releases the lock, and
 * another replica's next attempt (a loop period later) takes it over.
 */
@ApplicationScoped
class LeaderLock implements LeaderStatus {
    private static final Logger LOG = Logger.getLogger(LeaderLock.class);
    /** Arbitrary, fixed: identifies Sluice's lock among the database's advisory locks. */
    static final long LOCK_KEY = 0x51_00_1C_E0L;
    /** The server probes the lock's session after 10 s of silence and ends it after 3 probes unanswered (25 s). */
    static final String SERVER_KEEPALIVE =
            "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** The pool's bounds on a server that does not answer, for this connection outside the pool too. */
    @ConfigProperty(name = "quarkus.datasource.jdbc.login-timeout", defaultValue = "2S")
    Duration loginTimeout = Duration.ofSeconds(2);

    @ConfigProperty(name = "sluice.database-socket-timeout", defaultValue = "60")
    int socketTimeoutSeconds = 60;

    /** The lock's session; package-private for tests that look at it. */
    Connection session;

    /** True while this replica leads; tries to become leader when it does not. */
    public synchronized boolean holdOrAcquire() {
        try {
            if (session != null) {
                if (session.isValid(2)) {
                    return true;
                }
                LOG.warn("lost the database session that held the control-loop lock; no longer leading");
                closeQuietly();
                // Not a new session in the same call: when the server hangs, that would add the login
                // timeout to the wait; the next wake tries again.
                return false;
            }
            java.util.Properties props = new java.util.Properties();
            username.ifPresent(u -> props.setProperty("user", u));
            password.ifPresent(p -> props.setProperty("password", p));
            // Names the session so that any replica can tell which one leads (Leadership).
            props.setProperty("ApplicationName", Leadership.THIS_REPLICA);
            // Without these a partition would hang the loop's wake here, holding this monitor.
            String loginSeconds = Long.toString(Math.max(1, loginTimeout.toSeconds()));
            props.setProperty("loginTimeout", loginSeconds);
            props.setProperty("connectTimeout", loginSeconds);
            props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
            props.setProperty("tcpKeepAlive", "true");
            Connection candidate = DriverManager.getConnection(jdbcUrl, props);
            try (Statement s = candidate.createStatement()) {
                // The server's side of a partition: it would keep a silent leader's session, and the
                // lock with it, until the leader's close gets through or the OS's keepalive ends it
                // (two hours by default), and no other replica could lead meanwhile.
                s.execute(SERVER_KEEPALIVE);
            }
            try (PreparedStatement s = candidate.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, LOCK_KEY);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        session = candidate;
                        LOG.info("this replica now runs the control loop");
                        return true;
                    }
                }
            }
            candidate.close();
            return false;
        } catch (SQLException e) {
            LOG.debugf("could not take the control-loop lock: %s", e.getMessage());
            closeQuietly();
            return false;
        }
    }

    @Override
    public synchronized boolean isLeader() {
        return session != null;
    }

    @PreDestroy
    synchronized void release() {
        if (session != null) {
            try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, LOCK_KEY);
                s.execute();
            } catch (SQLException e) {
                LOG.debugf("could not release the control-loop lock: %s", e.getMessage());
            }
            closeQuietly();
        }
    }

    /** Ends the session without unlocking, as a crashed replica would. For tests of take-over. */
    synchronized void kill() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            session = null;
        }
    }
}
