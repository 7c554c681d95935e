package dev.sluice.k8s.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

/**
 * The secret the admission webhook signs attribution stamps with: 256 random bits, created by the
 * first replica that needs it and shared by all through the database (any replica may answer
 * admission; the leader verifies). Read once per replica, then kept in memory. Thread-safe.
 */
@ApplicationScoped
public class AttributionKeys {
    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    private volatile byte[] key;

    public byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] loadOrCreate() {
        return QuarkusTransaction.requiringNew().call(this::insertOnceAndRead);
    }

    private byte[] insertOnceAndRead() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        em.createNativeQuery("INSERT INTO k8s_attribution_key (id, secret, created_at) VALUES (1, ?1, ?2)"
                        + " ON CONFLICT (id) DO NOTHING")
                .setParameter(1, fresh)
                .setParameter(2, Timestamp.from(clock.instant()))
                .executeUpdate();
        List<?> rows = em.createNativeQuery("SELECT secret FROM k8s_attribution_key WHERE id = 1")
                .getResultList();
        return (byte[]) rows.get(0);
    }
}
