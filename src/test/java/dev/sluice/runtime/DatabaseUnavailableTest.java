package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures mean "the database cannot be reached" (a 503), and which do not (a 500). */
class DatabaseUnavailableTest {
    @Test
    void aRefusedConnectionWrappedByThePoolAndTheOrmIsUnavailable() {
        SQLException refused =
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException());
        RuntimeException orm = new RuntimeException("Unable to acquire JDBC Connection", refused);
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("tick failed", orm)))
                .isTrue();
    }

    @Test
    void aBrokenConnectionAndAServerShuttingDownAreUnavailable() {
        assertThat(DatabaseUnavailable.isCause(new SQLException("I/O error", "08006")))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("terminating connection", "57P01")))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
    }

    @Test
    void aServerThatWentSilentUnderAStatementIsUnavailableButASocketTimeoutElsewhereIsNot() {
        // What the driver throws when sluice.database-socket-timeout passes without a byte from the server.
        SQLException silent = new PSQLException(
                "An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE,
                new SocketTimeoutException("Read timed out"));
        assertThat(silent.getSQLState()).isEqualTo("08006");
        RuntimeException orm = new RuntimeException("could not execute statement", silent);
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("tick failed", orm)))
                .isTrue();
        // A connection attempt that the server never answered (the login timeout).
        assertThat(DatabaseUnavailable.isCause(
                        new PSQLException("Connection attempt timed out.", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
                .isTrue();
        // Without a database failure around it, a socket timeout is some other system's (a health target's).
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException(new SocketTimeoutException("Read timed out"))))
                .isFalse();
    }

    @Test
    void thePoolsAcquisitionTimeoutIsUnavailable() {
        assertThat(DatabaseUnavailable.isCause(new SQLException(
                        "Acquisition timeout while waiting for new connection", new TimeoutException())))
                .isTrue();
    }

    @Test
    void aRefusedStatementOrABugIsNot() {
        assertThat(DatabaseUnavailable.isCause(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("invalid byte sequence", "22021")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new NullPointerException())).isFalse();
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DatabaseUnavailable.isCause(a)).isFalse();
    }
}
