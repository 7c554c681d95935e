package dev.sluice.admission.replica;

import dev.sluice.runtime.BackgroundWork;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * This replica's heartbeat in PostgreSQL, and how many replicas are alive: local-share admission
 * divides each allocation by that number. If the database cannot be reached the last count is
 * kept (fail static).
 */
@ApplicationScoped
class Replicas {
    private static final Logger LOG = Logger.getLogger(Replicas.class);
    /** A replica not seen for this long is taken for gone. */
    static final Duration LIVENESS = Duration.ofSeconds(10);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AdmissionSettings settings;

    @Inject
    BackgroundWork work;

    private BackgroundWork.Periodic heartbeats;
    private final String id = UUID.randomUUID().toString();
    private volatile int live = 1;

    public String id() {
        return id;
    }

    /** Replicas alive now, this one included (at least 1). */
    public int live() {
        return live;
    }

    /** Beats every heartbeat period from start-up; leaves the table at shut-down. */
    void onStart(@Observes StartupEvent event) {
        heartbeats = work.every("replica heartbeat", Duration.ZERO, settings.heartbeatPeriod(), this::heartbeat);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (heartbeats != null) {
            heartbeats.stop();
        }
        leave();
    }

    public void heartbeat() {
        try {
            live = QuarkusTransaction.requiringNew().call(() -> {
                Instant now = clock.instant();
                em.createNativeQuery("INSERT INTO replica (id, last_seen) VALUES (?1, ?2) "
                                + "ON CONFLICT (id) DO UPDATE SET last_seen = EXCLUDED.last_seen")
                        .setParameter(1, id)
                        .setParameter(2, now)
                        .executeUpdate();
                em.createNativeQuery("DELETE FROM replica WHERE last_seen < ?1")
                        .setParameter(1, now.minus(LIVENESS.multipliedBy(6)))
                        .executeUpdate();
                Number count = (Number) em.createNativeQuery("SELECT count(*) FROM replica WHERE last_seen >= ?1")
                        .setParameter(1, now.minus(LIVENESS))
                        .getSingleResult();
                return Math.max(1, count.intValue());
            });
        } catch (RuntimeException e) {
            LOG.debugf("replica heartbeat failed, keeping %d live replicas: %s", live, e.getMessage());
        }
    }

    private void leave() {
        try {
            QuarkusTransaction.requiringNew()
                    .run(() -> em.createNativeQuery("DELETE FROM replica WHERE id = ?1")
                            .setParameter(1, id)
                            .executeUpdate());
        } catch (RuntimeException e) {
            LOG.debugf("could not remove this replica's heartbeat: %s", e.getMessage());
        }
    }
}
