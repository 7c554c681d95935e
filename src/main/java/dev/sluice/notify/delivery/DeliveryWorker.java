package dev.sluice.notify.delivery;

import dev.sluice.control.run.LeaderStatus;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.notify.Backoff;
import dev.sluice.notify.Notice;
import dev.sluice.notify.Notices;
import dev.sluice.notify.Reminders;
import dev.sluice.notify.TargetUrl;
import dev.sluice.notify.store.Deliveries;
import dev.sluice.notify.store.Deliveries.Claimed;
import dev.sluice.notify.store.NotifySettings;
import dev.sluice.notify.store.Outbox;
import dev.sluice.notify.store.Subscriptions;
import dev.sluice.notify.store.Subscriptions.Target;
import dev.sluice.runtime.BackgroundWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox, on the replica that leads the control loop only ({@link LeaderStatus}),
 * every {@code sluice.notify.delivery-period}, on its own beat: a tick never waits for it. A pass
 * fans new events out to their subscriptions, adds reminders for runs that stay paused, claims due
 * deliveries and sends each asynchronously ({@link WebhookSender}); a pass does not wait for its
 * sends, so a slow receiver never holds back the next pass or another receiver. A failed attempt is
 * retried with exponential backoff and full jitter until the event's deadline, then dead-lettered.
 * Each pass also deletes a batch of what is older than {@code sluice.notify.retention}
 * ({@link Deliveries#purge}), so the outbox stays bounded.
 * Metrics: {@code sluice_notify_delivered_total}, {@code sluice_notify_failed_total}, {@code
 * sluice_notify_dead_lettered_total}, {@code sluice_notify_delivery_latency_seconds} (from the
 * event to its delivery) and {@code sluice_notify_outbox_depth}. Thread-safe.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    Deliveries deliveries;

    @Inject
    Subscriptions subscriptions;

    @Inject
    Outbox outbox;

    @Inject
    RunStore runs;

    @Inject
    WebhookSender sender;

    @Inject
    NotifySettings settings;

    @Inject
    Clock clock;

    @Inject
    LeaderStatus leader;

    @Inject
    BackgroundWork work;

    @Inject
    MeterRegistry registry;

    /** Uniform in [0, 1), for the backoff's jitter; a test may fix it. */
    volatile DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private final AtomicLong depth = new AtomicLong();
    private BackgroundWork.Periodic beats;

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("sluice.notify.outbox.depth", depth, AtomicLong::get)
                .description("events not yet fanned out plus deliveries pending")
                .register(registry);
        if (settings.deliveryEnabled()) {
            beats = work.every(
                    "notification delivery", Duration.ofSeconds(1), settings.deliveryPeriod(), () -> beat(leader));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (beats != null) {
            beats.stop();
        }
    }

    /**
     * One beat: a pass when {@code leader} says this replica leads, else nothing, since a follower
     * that delivered would race the leader for every claim. The future is the pass's, or done.
     */
    public CompletableFuture<Void> beat(LeaderStatus leader) {
        if (!leader.isLeader()) {
            return CompletableFuture.completedFuture(null);
        }
        return pass();
    }

    /**
     * One pass. The returned future completes when every send it started has been recorded (tests
     * wait on it; the beat does not).
     */
    public CompletableFuture<Void> pass() {
        Instant now = clock.instant();
        remindPaused(now);
        deliveries.fanOut(now, settings.deadline(), settings.batchSize() * 10);
        List<Claimed> claimed = deliveries.claim(now, lease(), settings.batchSize());
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (Claimed c : claimed) {
            sends.add(attempt(c));
        }
        deliveries.purge(now.minus(settings.retention()), settings.batchSize() * 10);
        depth.set(deliveries.depth());
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> attempt(Claimed c) {
        Instant at = clock.instant();
        Optional<Target> target = subscriptions.target(c.subscriptionId(), at);
        if (target.isEmpty()) {
            return CompletableFuture.completedFuture(null); // deleted meanwhile: its deliveries went with it
        }
        return sender.send(target.get(), c.notice())
                .thenAcceptAsync(outcome -> record(c, target.get(), outcome), work.workers())
                .exceptionally(e -> {
                    LOG.errorf(e, "recording delivery %d failed; its claim expires and it is retried", c.id());
                    return null;
                })
                .toCompletableFuture();
    }

    private void record(Claimed c, Target target, WebhookSender.Outcome outcome) {
        Instant now = clock.instant();
        if (outcome.delivered()) {
            deliveries.delivered(c.id(), outcome.status(), now);
            registry.counter(
                            "sluice.notify.delivered", "format", target.format().wireName())
                    .increment();
            registry.timer("sluice.notify.delivery.latency")
                    .record(Duration.between(c.notice().occurredAt(), now).abs());
            return;
        }
        Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        Instant retryAt = backoff.next(now, c.attempts() + 1, random);
        boolean dead = deliveries.failed(c.id(), outcome.status(), outcome.describe(), now, retryAt, c.deadlineAt());
        registry.counter("sluice.notify.failed").increment();
        if (dead) {
            registry.counter("sluice.notify.dead.lettered").increment();
            LOG.warnf(
                    "notification %s to %s dead-lettered after %d attempts: %s",
                    c.notice().id(), TargetUrl.origin(target.url()), c.attempts() + 1, outcome.describe());
        }
    }

    /** Reminders for paused runs whose last announcement is older than {@code sluice.notify.paused-reminder}. */
    void remindPaused(Instant now) {
        Reminders reminders = new Reminders(settings.pausedReminder());
        if (!reminders.enabled()) {
            return;
        }
        for (Deliveries.PausedRun p : deliveries.pausedRuns()) {
            if (!reminders.due(p.lastAnnouncedAt(), now)) {
                continue;
            }
            Optional<StoredRun> run = runs.find(p.runId());
            if (run.isEmpty()) {
                continue;
            }
            StoredRun r = run.get();
            Notice n = Notices.stillPaused(
                    Outbox.newId(),
                    r.id(),
                    r.planName(),
                    r.plan().stages().get(r.state().stage()).name(),
                    r.state().pauseReason(),
                    now);
            QuarkusTransaction.requiringNew().run(() -> outbox.append(n));
        }
    }

    /** A claim outlives an attempt (timeout plus margin), so only a dead replica's claims expire. */
    private Duration lease() {
        return settings.timeout().multipliedBy(2).plusSeconds(5);
    }
}
