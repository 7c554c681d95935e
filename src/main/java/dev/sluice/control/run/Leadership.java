package dev.sluice.control.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Which replica leads the control loop, as any replica can tell: the leader's lock session carries
 * its replica's name as PostgreSQL's {@code application_name} ({@link LeaderLock}), and the holder of
 * the advisory lock is read from {@code pg_locks} and {@code pg_stat_activity}. Thread-safe.
 */
@ApplicationScoped
public class Leadership {
    /** This replica's name: its host (a pod's name on Kubernetes) and process id, within PostgreSQL's 63 bytes. */
    static final String THIS_REPLICA = replicaName();

    @Inject
    LeaderStatus status;

    @Inject
    EntityManager em;

    public String thisReplica() {
        return THIS_REPLICA;
    }

    public boolean thisReplicaLeads() {
        return status.isLeader();
    }

    /** The leading replica's name; empty when no replica holds the lock . */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<String> leader() {
        if (status.isLeader()) {
            return Optional.of(THIS_REPLICA);
        }
        List<Object> names = em.createNativeQuery("SELECT a.application_name FROM pg_locks l"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0"
                        + " AND l.objid::bigint = ?1 AND l.objsubid = 1")
                .setParameter(1, LeaderLock.LOCK_KEY)
                .getResultList();
        return names.stream().map(String::valueOf).findFirst();
    }

    private static String replicaName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        String name = "sluice " + host + " pid " + ProcessHandle.current().pid();
        return name.length() > 63 ? name.substring(0, 63) : name;
    }
}
