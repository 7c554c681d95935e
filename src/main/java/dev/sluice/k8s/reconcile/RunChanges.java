package dev.sluice.k8s.reconcile;

import dev.sluice.k8s.operator.OperatorSettings;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.k8s.store.KubernetesObjects;
import dev.sluice.k8s.store.KubernetesObjects.RunLink;
import dev.sluice.runtime.BackgroundWork;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells the RestoreRun reconciler when a run changed, whoever changed it: a tick, a REST action on
 * any replica, a RestoreAction. Runs live in PostgreSQL, so it polls there (one query per {@code
 * sluice.operator.status-poll-period} for runs written since the last poll) rather than listening in
 * process, which would miss what other replicas commit. It rate-limits what it triggers, so that
 * status writes cannot flood the API server however many runs there are: a RestoreRun is
 * reconciled for a run change at most once per {@code sluice.operator.status-min-interval}, and all
 * together at most {@code sluice.operator.status-writes-per-second}; a change held back is kept and
 * triggered at a later poll (the newest state is what gets written). Runs only while this replica
 * leads (JOSDK starts event sources with the controller). Thread-safe.
 */
@Singleton
public class RunChanges extends AbstractEventSource<Void, RestoreRunResource> {
    private static final Logger LOG = Logger.getLogger(RunChanges.class);
    /** A poll also looks this far back, so that a write committed late in the last poll is not missed. */
    static final Duration OVERLAP = Duration.ofSeconds(5);

    private final BackgroundWork work;
    private final KubernetesObjects objects;
    private final Clock clock;
    private final OperatorSettings settings;
    private final Bucket writes;

    /** The run version last triggered, by object uid. */
    private final Map<String, Integer> triggered = new ConcurrentHashMap<>();
    /** When each object was last triggered (nanoTime), for the per-object interval. */
    private final Map<String, Long> lastTriggerNanos = new ConcurrentHashMap<>();
    /** Changes seen but held back by the limits, by uid: the next poll tries them again. */
    private final Map<String, RunLink> held = new ConcurrentHashMap<>();

    private volatile Instant lastPoll = Instant.EPOCH;
    private BackgroundWork.Periodic polls;

    @Inject
    RunChanges(BackgroundWork work, KubernetesObjects objects, Clock clock, OperatorSettings settings) {
        super(Void.class, "run-changes");
        this.work = work;
        this.objects = objects;
        this.clock = clock;
        this.settings = settings;
        int perSecond = settings.statusWritesPerSecond();
        this.writes = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perSecond)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }

    @Override
    public synchronized void start() throws OperatorException {
        super.start();
        if (polls == null) {
            polls = work.every(
                    "RestoreRun status", settings.statusPollPeriod(), settings.statusPollPeriod(), this::poll);
        }
    }

    @Override
    public synchronized void stop() throws OperatorException {
        if (polls != null) {
            polls.stop();
            polls = null;
        }
        super.stop();
    }

    /** What the reconciler has just written for an object: no need to trigger it for that version. */
    void written(String uid, int runVersion) {
        triggered.put(uid, runVersion);
        held.remove(uid);
    }

    /** One poll: trigger reconciles for runs that changed, within the limits. Visible for tests. */
    public void poll() {
        Instant now = clock.instant();
        Instant since = lastPoll.minus(OVERLAP);
        lastPoll = now;
        Map<String, RunLink> candidates = new LinkedHashMap<>(held);
        for (RunLink link : objects.runsChangedSince(since)) {
            Integer seen = triggered.get(link.uid());
            if (seen == null || seen != link.runVersion()) {
                candidates.put(link.uid(), link);
            }
        }
        long minNanos = settings.statusMinInterval().toNanos();
        long nowNanos = System.nanoTime();
        int deferred = 0;
        for (RunLink link : candidates.values()) {
            Long last = lastTriggerNanos.get(link.uid());
            if ((last != null && nowNanos - last < minNanos) || !writes.tryConsume(1)) {
                held.put(link.uid(), link);
                deferred++;
                continue;
            }
            held.remove(link.uid());
            triggered.put(link.uid(), link.runVersion());
            lastTriggerNanos.put(link.uid(), nowNanos);
            if (isRunning()) {
                getEventHandler().handleEvent(new Event(new ResourceID(link.name(), link.namespace())));
            }
        }
        if (deferred > 0) {
            LOG.debugf("%d RestoreRun status updates held back by the rate limits", deferred);
        }
    }

    /** A trigger only: it holds no secondary resources. */
    @Override
    public java.util.Set<Void> getSecondaryResources(RestoreRunResource primary) {
        return java.util.Set.of();
    }

    /** Forgets an object (deleted). */
    void forget(String uid) {
        triggered.remove(uid);
        lastTriggerNanos.remove(uid);
        held.remove(uid);
    }
}
