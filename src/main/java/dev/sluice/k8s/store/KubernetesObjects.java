package dev.sluice.k8s.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What Sluice did for each Kubernetes object, by the object's uid: the record that makes a
 * RestoreAction apply exactly once, a RestoreRun start at most one run, and a stored plan belong to
 * one RestorePlan. Writes join the caller's transaction (an action's record commits with the action
 * or not at all). Stateless and thread-safe.
 */
@ApplicationScoped
public class KubernetesObjects {
    /** Outcomes. */
    public static final String APPLIED = "applied";

    public static final String REJECTED = "rejected";
    public static final String STARTED = "started";
    public static final String FAILED = "failed";
    public static final String BOUND = "bound";
    public static final String DELETED = "deleted";

    @Inject
    EntityManager em;

    /** One object's record. */
    public record Recorded(
            String uid,
            String kind,
            String namespace,
            String name,
            String planName,
            String runId,
            String outcome,
            String message,
            String actor,
            Instant recordedAt) {}

    /** A RestoreRun object and the version of the run it started, for status that follows runs. */
    public record RunLink(String uid, String namespace, String name, String runId, int runVersion) {}

    /** Thrown when an object already has a record (another writer got there first). */
    public static final class AlreadyRecorded extends RuntimeException {
        AlreadyRecorded(String uid) {
            super("object " + uid + " already has a record", null, false, false);
        }
    }

    @Transactional
    public Optional<Recorded> find(String uid) {
        return KubernetesObjectEntity.<KubernetesObjectEntity>findByIdOptional(uid)
                .map(KubernetesObjects::view);
    }

    /** The live (not deleted) record of the object of this kind and name, newest first. */
    @Transactional
    public Optional<Recorded> findByName(String kind, String namespace, String name) {
        return KubernetesObjectEntity.<KubernetesObjectEntity>find(
                        "kind = ?1 and namespace = ?2 and name = ?3 and outcome <> ?4 order by recordedAt desc",
                        kind,
                        namespace,
                        name,
                        DELETED)
                .firstResultOptional()
                .map(KubernetesObjects::view);
    }

    /** The RestorePlan object a stored plan belongs to, if any. */
    @Transactional
    public Optional<Recorded> planOwner(String planName) {
        return KubernetesObjectEntity.<KubernetesObjectEntity>find("kind = 'RestorePlan' and planName = ?1", planName)
                .firstResultOptional()
                .map(KubernetesObjects::view);
    }

    /**
     * Records what was done for an object, in the caller's transaction.
     *
     * @throws AlreadyRecorded when the object has a record already, or (RestorePlan) its plan
     *     belongs to another object
     */
    @Transactional(TxType.MANDATORY)
    public void record(Recorded r) {
        KubernetesObjectEntity e = new KubernetesObjectEntity();
        e.uid = r.uid();
        e.kind = r.kind();
        e.namespace = r.namespace();
        e.name = r.name();
        e.planName = r.planName();
        e.runId = r.runId();
        e.outcome = r.outcome();
        e.message = r.message();
        e.actor = r.actor();
        e.recordedAt = r.recordedAt();
        if (KubernetesObjectEntity.findById(r.uid()) != null) {
            throw new AlreadyRecorded(r.uid());
        }
        try {
            e.persistAndFlush();
        } catch (PersistenceException ex) {
            throw new AlreadyRecorded(r.uid());
        }
    }

    /** Changes an object's outcome and message (a deleted RestoreRun, a released plan). */
    @Transactional
    public void setOutcome(String uid, String outcome, String message) {
        KubernetesObjectEntity e = KubernetesObjectEntity.findById(uid);
        if (e != null) {
            e.outcome = outcome;
            e.message = message;
        }
    }

    /** Forgets an object (a RestorePlan whose plan was deleted: the name is free again). */
    @Transactional
    public void forget(String uid) {
        KubernetesObjectEntity.deleteById(uid);
    }

    /** RestoreRun objects whose runs were written at or after {@code since}, with the runs' versions. */
    @Transactional
    public List<RunLink> runsChangedSince(Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT o.uid, o.namespace, o.name, r.id, r.lock_version FROM k8s_object o"
                                + " JOIN run r ON r.id = o.run_id"
                                + " WHERE o.kind = 'RestoreRun' AND o.outcome <> 'deleted' AND r.updated_at >= ?1")
                .setParameter(1, Timestamp.from(since))
                .getResultList();
        return rows.stream()
                .map(row -> new RunLink(
                        (String) row[0],
                        (String) row[1],
                        (String) row[2],
                        (String) row[3],
                        ((Number) row[4]).intValue()))
                .toList();
    }

    private static Recorded view(KubernetesObjectEntity e) {
        return new Recorded(
                e.uid, e.kind, e.namespace, e.name, e.planName, e.runId, e.outcome, e.message, e.actor, e.recordedAt);
    }
}
