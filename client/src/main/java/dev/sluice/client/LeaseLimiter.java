package dev.sluice.client;

import io.github.bucket4j.local.LocalBucket;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate lease from Sluice, enforced locally with a token bucket: {@link #tryAcquire} and {@link
 * #acquire} never touch the network. A background thread (or the caller, see {@link #maintain})
 * keeps the lease fresh, following Sluice's lease contract:
 *
 * <ol>
 *   <li>take a lease, stating what this client wants (its recent asks per second, at least the
 *       configured want, plus its backlog drained over 10 s) and enforce its {@code rate} and
 *       {@code burst};
 *   <li>refresh at {@code refreshAfter}: a new allocation reaches the client at its next refresh;
 *   <li>if Sluice cannot be reached, keep enforcing the last lease until {@code expiresAt}, then the
 *       plan's safe rate (which each lease answer names), retrying with jittered backoff;
 *   <li>on {@link #close}, give the lease back.
 * </ol>
 *
 * <p>At the plan's address Sluice may also answer "unrestricted" (the run completed, or the plan is
 * open without a run): nothing is enforced until that answer's end, when the client asks again. An
 * unrestricted answer stays in force while Sluice cannot be reached: the tier was restored, and a
 * Sluice outage after the incident must not throttle every dependent to the safe rate. A refusal
 * (no run yet and the plan closed) admits nothing until its retry hint; after that, an unreachable
 * Sluice means the safe rate, as for an expired lease.
 *
 * <p>Times from Sluice are read as lengths, never compared with this machine's clock: the lease lasts
 * twice the span from {@code refreshAfter} to {@code expiresAt}, counted from when the request was
 * sent (so a slow answer shortens the lease, never lengthens it).
 */
public final class LeaseLimiter implements Limiter {
    /** Requests a stated backlog is wanted drained within, as Sluice reads a stated backlog. */
    private static final double BACKLOG_DRAIN_SECONDS = 10;

    private static final double MAX_WANT_PER_SECOND = 1e9;

    private final Settings s;
    private final LocalBucket bucket;
    private final Object transitions = new Object();
    private final ReentrantLock calling = new ReentrantLock();
    private final LongAdder asks = new LongAdder();
    private final ScheduledExecutorService background;
    private volatile Admission admission;
    private volatile boolean closed;
    private volatile double safeRatePerSecond;

    // guarded by `calling`
    private Instant nextCallAt;
    private Instant windowStart;
    private int failures;
    private boolean leaseHeld;

    LeaseLimiter(Settings settings) {
        this.s = settings;
        this.safeRatePerSecond = settings.safeRatePerSecond();
        this.bucket = Buckets.create(s.clock(), safeRatePerSecond, Buckets.oneSecondOf(safeRatePerSecond));
        this.admission = fallback("not-yet-answered");
        this.nextCallAt = s.clock().instant();
        if (s.background()) {
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-lease-" + s.service());
                t.setDaemon(true);
                return t;
            });
            background.scheduleWithFixedDelay(
                    this::maintainQuietly, 0, s.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            background = null;
        }
    }

    @Override
    public boolean tryAcquire() {
        if (closed) {
            return false;
        }
        asks.increment();
        boolean admitted = admit(s.clock().instant());
        s.listener().onDecision(admitted);
        return admitted;
    }

    @Override
    public boolean acquire(Duration timeout) throws InterruptedException {
        if (closed) {
            return false;
        }
        asks.increment();
        Instant deadline = s.clock().instant().plus(timeout);
        while (true) {
            Instant now = s.clock().instant();
            if (admit(now)) {
                s.listener().onDecision(true);
                return true;
            }
            if (closed || !now.isBefore(deadline)) {
                s.listener().onDecision(false);
                return false;
            }
            Duration wait = min(min(waitHint(now), Duration.between(now, deadline)), s.pollInterval());
            s.sleeper().sleep(wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait);
        }
    }

    @Override
    public Admission admission() {
        return admission;
    }

    /**
     * Does what is due now: lets an expired lease go (to the safe rate), and asks Sluice when the
     * refresh, retry or end of an answer has come. The background thread calls it every poll
     * interval; a limiter built without one relies on its owner calling it. Never throws for
     * Sluice's failures: they are what the contract's fallbacks are for.
     */
    public void maintain() {
        if (closed || !calling.tryLock()) {
            return;
        }
        try {
            Instant now = s.clock().instant();
            expireIfDue(now);
            if (now.isBefore(nextCallAt)) {
                return;
            }
            call(now);
        } finally {
            calling.unlock();
        }
    }

    /** Gives the lease back (best effort: an unreachable Sluice lets it expire) and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (background != null) {
            background.shutdownNow();
        }
        calling.lock();
        try {
            if (leaseHeld) {
                try {
                    Transport.Reply reply = s.transport()
                            .send(
                                    "DELETE",
                                    s.basePath() + "/leases/"
                                            + java.net.URLEncoder.encode(
                                                    s.clientId(), java.nio.charset.StandardCharsets.UTF_8),
                                    null);
                    if (reply.status() >= 500) {
                        s.listener().onUnreachable(new IOException("Sluice answered " + reply.status()), admission);
                    }
                } catch (IOException | RuntimeException e) {
                    s.listener().onUnreachable(e, admission);
                }
                leaseHeld = false;
            }
        } finally {
            calling.unlock();
        }
    }

    private void maintainQuietly() {
        try {
            maintain();
        } catch (RuntimeException e) {
            s.listener().onUnreachable(e, admission); // a listener's or parser's bug must not end the thread
        }
    }

    private boolean admit(Instant now) {
        Admission a = admission;
        if (a.kind() == Admission.Kind.LEASED && !now.isBefore(a.until())) {
            expireIfDue(now);
            a = admission;
        }
        return switch (a.kind()) {
            case UNRESTRICTED -> true;
            case CLOSED, PERMITS -> false;
            case LEASED, FALLBACK -> a.ratePerSecond() > 0 && bucket.tryConsume(1);
        };
    }

    private Duration waitHint(Instant now) {
        Admission a = admission;
        return switch (a.kind()) {
            case UNRESTRICTED -> Duration.ZERO;
            case CLOSED, PERMITS ->
                a.until() != null && a.until().isAfter(now) ? Duration.between(now, a.until()) : s.pollInterval();
            case LEASED, FALLBACK ->
                a.ratePerSecond() > 0 ? Duration.ofNanos(Buckets.nanosToOne(bucket)) : s.pollInterval();
        };
    }

    private void expireIfDue(Instant now) {
        synchronized (transitions) {
            Admission a = admission;
            if (a.kind() == Admission.Kind.LEASED && !now.isBefore(a.until())) {
                install(fallback("lease-expired"));
            }
        }
    }

    private void call(Instant sentAt) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("clientId", s.clientId());
        request.put("wantPerSecond", want(sentAt));
        Transport.Reply reply;
        try {
            reply = s.transport().send("POST", s.basePath() + "/leases", Json.writeObject(request));
        } catch (IOException | RuntimeException e) {
            unreachable(e, s.clock().instant());
            return;
        }
        Instant now = s.clock().instant();
        if (reply.status() >= 500) {
            unreachable(new IOException("Sluice answered " + reply.status()), now);
            return;
        }
        Map<String, Object> body = Replies.body(reply);
        if (reply.status() == 200) {
            try {
                answered(reply, body, sentAt);
            } catch (RuntimeException e) {
                unreachable(new IOException("Sluice's answer could not be read: " + e.getMessage(), e), now);
            }
            return;
        }
        if (reply.status() == 429) {
            failures = 0;
            Duration wait = Replies.retryAfter(reply, body, s.random());
            leaseHeld = false;
            nextCallAt = now.plus(wait);
            install(new Admission(Admission.Kind.CLOSED, 0, 0, nextCallAt, Replies.text(body, "reason", "refused")));
            s.listener().onRetryAfter(wait);
            return;
        }
        failures++;
        leaseHeld = false;
        nextCallAt = now.plus(s.backoff(failures));
        s.listener().onRejected(reply.status(), Replies.text(body, "detail", reply.body()));
        install(fallback("refused:" + reply.status()));
    }

    private void answered(Transport.Reply reply, Map<String, Object> body, Instant sentAt) {
        if (Replies.unrestricted(body)) {
            Duration hold = Replies.unrestrictedFor(reply, body);
            failures = 0;
            leaseHeld = false;
            nextCallAt = sentAt.plus(hold);
            install(new Admission(
                    Admission.Kind.UNRESTRICTED, 0, 0, nextCallAt, Replies.text(body, "reason", "unrestricted")));
            return;
        }
        double rate = Replies.number(body, "rate", Double.NaN);
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("no rate");
        }
        long burst = (long) Replies.number(body, "burst", Buckets.oneSecondOf(rate));
        Instant expiresAt = Replies.instant(body, "expiresAt");
        Instant refreshAfter = Replies.instant(body, "refreshAfter");
        Duration half = Duration.between(refreshAfter, expiresAt);
        if (half.isNegative() || half.isZero()) {
            throw new IllegalArgumentException("refreshAfter is not before expiresAt");
        }
        safeRatePerSecond = Replies.number(body, "safeRatePerSecond", safeRatePerSecond);
        failures = 0;
        leaseHeld = true;
        nextCallAt = sentAt.plus(half);
        install(new Admission(Admission.Kind.LEASED, rate, burst, sentAt.plus(half.multipliedBy(2)), "leased"));
    }

    private void unreachable(Exception cause, Instant now) {
        failures++;
        nextCallAt = now.plus(s.backoff(failures));
        synchronized (transitions) {
            Admission a = admission;
            boolean keep = a.kind() == Admission.Kind.UNRESTRICTED
                    || (a.kind() == Admission.Kind.LEASED && now.isBefore(a.until()))
                    || (a.kind() == Admission.Kind.FALLBACK && "unreachable".equals(a.reason()));
            if (a.kind() == Admission.Kind.LEASED && now.isBefore(a.until()) && nextCallAt.isAfter(a.until())) {
                nextCallAt = a.until(); // try again by the time the lease runs out, not a backoff later
            }
            if (!keep) {
                install(fallback("unreachable"));
            }
        }
        s.listener().onUnreachable(cause, admission);
    }

    /** What this client wants now: its asks per second since the last call (at least the configured want), plus its backlog drained over 10 s. */
    private double want(Instant now) {
        long asked = asks.sumThenReset();
        double observed = 0;
        if (windowStart != null) {
            double seconds = Duration.between(windowStart, now).toNanos() / 1e9;
            observed = seconds > 0 ? asked / seconds : 0;
        }
        windowStart = now;
        double want = Math.max(observed, s.wantPerSecond()) + s.backlogNow() / BACKLOG_DRAIN_SECONDS;
        return Math.min(MAX_WANT_PER_SECOND, want);
    }

    private Admission fallback(String reason) {
        double rate = safeRatePerSecond;
        return new Admission(Admission.Kind.FALLBACK, rate, Buckets.oneSecondOf(rate), null, reason);
    }

    private void install(Admission next) {
        synchronized (transitions) {
            if ((next.kind() == Admission.Kind.LEASED || next.kind() == Admission.Kind.FALLBACK)
                    && next.ratePerSecond() > 0) {
                boolean first = "not-yet-answered".equals(admission.reason());
                Buckets.reconfigure(bucket, next.ratePerSecond(), next.burst(), first);
            }
            admission = next;
        }
        s.listener().onAdmission(next);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
