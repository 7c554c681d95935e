package dev.sluice.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Two replicas' locks on one real PostgreSQL: one leads; when it goes, the other takes over. */
@QuarkusTest
class LeaderLockIT {
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @Test
    void onlyOneReplicaLeadsAndAnotherTakesOverWhenItGoes() {
        LeaderLock first = replica();
        LeaderLock second = replica();
        try {
            assertThat(first.holdOrAcquire()).isTrue();
            assertThat(second.holdOrAcquire()).isFalse();
            assertThat(first.holdOrAcquire()).as("the leader keeps leading").isTrue();
            first.kill(); // the leader dies without unlocking: its session ends, and with it the lock
            assertThat(second.holdOrAcquire()).isTrue();
            assertThat(first.holdOrAcquire()).isFalse();
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void theLocksSessionAsksTheServerToProbeASilentLeaderAfter10Seconds() throws Exception {
        LeaderLock lock = replica();
        try {
            assertThat(lock.holdOrAcquire()).isTrue();
            try (Statement s = lock.session.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('tcp_keepalives_idle'),"
                            + " current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')")) {
                rs.next();
                // 0 would mean the operating system's default: a partitioned leader kept the lock for hours.
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .containsExactly("10", "5", "3");
            }
        } finally {
            lock.release();
        }
    }

    @jakarta.inject.Inject
    Leadership leadership;

    @Test
    void anyReplicaReadsWhichReplicaLeadsFromTheLocksSession() {
        assertThat(leadership.thisReplicaLeads())
                .as("the test profile runs no loop")
                .isFalse();
        assertThat(leadership.leader()).isEmpty();
        LeaderLock other = replica();
        try {
            assertThat(other.holdOrAcquire()).isTrue();
            // This process's CDI lock does not lead: the name comes from pg_locks and pg_stat_activity.
            assertThat(leadership.leader()).contains(Leadership.THIS_REPLICA);
            assertThat(Leadership.THIS_REPLICA).startsWith("sluice ").contains(" pid ");
        } finally {
            other.release();
        }
        assertThat(leadership.leader()).isEmpty();
    }

    private LeaderLock replica() {
        LeaderLock lock = new LeaderLock();
        lock.jdbcUrl = jdbcUrl;
        lock.username = username;
        lock.password = Optional.empty();
        return lock;
    }
}
