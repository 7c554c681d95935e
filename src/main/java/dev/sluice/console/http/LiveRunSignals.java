package dev.sluice.console.http;

import dev.sluice.control.run.RunCommitted;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells open run pages that their run changed, for the console's Server-Sent Events. A change
 * committed on this replica (a tick on the leader, an operator's action here) is signalled as it
 * commits; one committed on another replica is found by one query per {@link #CHECK_PERIOD} for all
 * the runs open pages watch (their row versions), so every replica's pages hear of every change,
 * within about a quarter of a second. A signal carries only the run's new version: the page then
 * fetches its live part as it does when polling. A stream ends after {@link #STREAM_LIFETIME} (the
 * browser's EventSource reconnects, and the reconnect is authenticated afresh, so a session that
 * ended stops being told). Thread-safe.
 */
@ApplicationScoped
public class LiveRunSignals {
    private static final Logger LOG = Logger.getLogger(LiveRunSignals.class);
    static final Duration CHECK_PERIOD = Duration.ofMillis(250);
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(5);

    @Inject
    EntityManager em;

    @Inject
    BackgroundWork work;

    private record Watcher(MultiEmitter<? super String> emitter, long openedAtNanos) {}

    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private BackgroundWork.Periodic checks;

    /**
     * Signals of the run's changes, each its new row version as text, starting with {@code
     * currentVersion} at once: a page that reconnects refreshes, so it misses nothing that changed
     * while it was not connected.
     */
    public Multi<String> of(String runId, int currentVersion) {
        return Multi.createFrom().emitter(emitter -> {
            Watcher w = new Watcher(emitter, System.nanoTime());
            watchers.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(w);
            versions.merge(runId, currentVersion, Math::max);
            emitter.onTermination(() -> forget(runId, w));
            emitter.emit(Integer.toString(currentVersion));
        });
    }

    int watching(String runId) {
        return watchers.getOrDefault(runId, Set.of()).size();
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunCommitted event) {
        changed(event.run().id(), event.run().version());
    }

    void onStart(@Observes StartupEvent event) {
        checks = work.every("console live signals", CHECK_PERIOD, CHECK_PERIOD, this::check);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (checks != null) {
            checks.stop();
        }
        watchers.values().forEach(set -> set.forEach(w -> w.emitter().complete()));
    }

    /** Reads the watched runs' versions (one query) and signals those that moved; ends old streams. */
    @SuppressWarnings("unchecked")
    void check() {
        long now = System.nanoTime();
        watchers.forEach((id, set) -> set.forEach(w -> {
            if (now - w.openedAtNanos() > STREAM_LIFETIME.toNanos()) {
                w.emitter().complete();
            }
        }));
        if (watchers.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(watchers.keySet());
        List<Object[]> rows = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("SELECT id, lock_version FROM run WHERE id IN (:ids)")
                        .setParameter("ids", ids)
                        .getResultList());
        Map<String, Integer> read = new HashMap<>();
        for (Object[] r : rows) {
            read.put((String) r[0], ((Number) r[1]).intValue());
        }
        read.forEach(this::changed);
    }

    private void changed(String runId, int version) {
        Set<Watcher> set = watchers.get(runId);
        if (set == null) {
            return; // nobody watches: nothing to remember
        }
        boolean[] moved = {false};
        versions.compute(runId, (k, before) -> {
            if (before == null || version > before) {
                moved[0] = true;
                return version;
            }
            return before; // an older read lost the race with a commit's signal
        });
        if (!moved[0]) {
            return;
        }
        for (Watcher w : set) {
            try {
                w.emitter().emit(Integer.toString(version));
            } catch (RuntimeException e) {
                LOG.debugf("a live signal could not be sent: %s", e.getMessage());
            }
        }
    }

    private void forget(String runId, Watcher w) {
        watchers.computeIfPresent(runId, (k, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
        if (!watchers.containsKey(runId)) {
            versions.remove(runId);
        }
    }
}
