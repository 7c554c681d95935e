package dev.sluice.client;

import io.github.bucket4j.local.LocalBucket;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-request permits: Sluice decides each request. A refusal's retry hint is honoured by every
 * thread of the limiter — none asks again before it (and {@link #tryAcquire} answers {@code false}
 * without a round trip until then); {@code retry-after-ms} is read when sent, a whole-second
 * {@code Retry-After} gets up to a second of jitter. {@link #tryAcquire} otherwise costs one round
 * trip (bounded by the request timeout); use a {@link LeaseLimiter} where that is too much.
 *
 * <p>With each ask the client names itself and states its backlog (when it has one), so that Sluice
 * gives a draining backlog the spare budget. When Sluice cannot be reached (or fails), requests are
 * admitted locally at the safe rate until the next try, after a jittered backoff. An "unrestricted"
 * answer of the plan's address admits everything without asking until its end.
 */
public final class PermitLimiter implements Limiter {
    private final Settings s;
    private final LocalBucket safeBucket;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Admission admission;
    private volatile Instant askAgainAt = Instant.MIN;
    private volatile boolean closed;

    PermitLimiter(Settings settings) {
        this.s = settings;
        double safe = settings.safeRatePerSecond();
        this.safeBucket = Buckets.create(s.clock(), safe, Buckets.oneSecondOf(safe));
        this.admission =
                new Admission(Admission.Kind.FALLBACK, safe, Buckets.oneSecondOf(safe), null, "not-yet-answered");
    }

    @Override
    public boolean tryAcquire() {
        if (closed) {
            return false;
        }
        boolean admitted = decide(s.clock().instant());
        s.listener().onDecision(admitted);
        return admitted;
    }

    @Override
    public boolean acquire(Duration timeout) throws InterruptedException {
        if (closed) {
            return false;
        }
        Instant deadline = s.clock().instant().plus(timeout);
        while (true) {
            Instant now = s.clock().instant();
            if (decide(now)) {
                s.listener().onDecision(true);
                return true;
            }
            now = s.clock().instant();
            Duration wait = waitHint(now);
            if (closed || now.plus(wait).isAfter(deadline)) {
                s.listener().onDecision(false); // asking again before the hint is never an option
                return false;
            }
            s.sleeper().sleep(wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait);
        }
    }

    @Override
    public Admission admission() {
        return admission;
    }

    /** Nothing is held between permits: closing only stops the limiter. */
    @Override
    public void close() {
        closed = true;
    }

    private boolean decide(Instant now) {
        Admission a = admission;
        if (now.isBefore(askAgainAt)) {
            return switch (a.kind()) {
                case UNRESTRICTED -> true;
                case FALLBACK -> a.ratePerSecond() > 0 && safeBucket.tryConsume(1);
                case CLOSED, LEASED, PERMITS -> false;
            };
        }
        return ask(now);
    }

    private Duration waitHint(Instant now) {
        if (now.isBefore(askAgainAt)) {
            Admission a = admission;
            if (a.kind() == Admission.Kind.FALLBACK && a.ratePerSecond() > 0) {
                Duration refill = Duration.ofNanos(Buckets.nanosToOne(safeBucket));
                Duration untilAsk = Duration.between(now, askAgainAt);
                return refill.compareTo(untilAsk) < 0 ? refill : untilAsk;
            }
            return Duration.between(now, askAgainAt);
        }
        return Duration.ZERO;
    }

    private boolean ask(Instant sentAt) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("count", 1);
        request.put("clientId", s.clientId());
        long backlog = s.backlogNow();
        request.put("backlog", backlog > 0 ? backlog : null);
        Transport.Reply reply;
        try {
            reply = s.transport().send("POST", s.basePath() + "/permits", Json.writeObject(request));
        } catch (IOException | RuntimeException e) {
            return unreachable(e, s.clock().instant());
        }
        Instant now = s.clock().instant();
        if (reply.status() >= 500) {
            return unreachable(new IOException("Sluice answered " + reply.status()), now);
        }
        Map<String, Object> body = Replies.body(reply);
        if (reply.status() == 200) {
            failures.set(0);
            if (Replies.unrestricted(body)) {
                Instant until = sentAt.plus(Replies.unrestrictedFor(reply, body));
                askAgainAt = until;
                set(new Admission(
                        Admission.Kind.UNRESTRICTED, 0, 0, until, Replies.text(body, "reason", "unrestricted")));
                return true;
            }
            Admission a = admission;
            double rate = Replies.number(body, "ratePerSecond", 0);
            if (a.kind() != Admission.Kind.PERMITS || a.ratePerSecond() != rate) {
                set(new Admission(Admission.Kind.PERMITS, rate, 0, null, Replies.text(body, "stage", "granted")));
            }
            return true;
        }
        if (reply.status() == 429) {
            failures.set(0);
            Duration wait = Replies.retryAfter(reply, body, s.random());
            Instant at = now.plus(wait);
            synchronized (this) {
                if (at.isAfter(askAgainAt)) {
                    askAgainAt = at;
                }
            }
            set(new Admission(Admission.Kind.CLOSED, 0, 0, at, Replies.text(body, "reason", "refused")));
            s.listener().onRetryAfter(wait);
            return false;
        }
        s.listener().onRejected(reply.status(), Replies.text(body, "detail", reply.body()));
        return fallBack("refused:" + reply.status(), now);
    }

    private boolean unreachable(Exception cause, Instant now) {
        boolean admitted = fallBack("unreachable", now);
        s.listener().onUnreachable(cause, admission);
        return admitted;
    }

    private boolean fallBack(String reason, Instant now) {
        askAgainAt = now.plus(s.backoff(failures.incrementAndGet()));
        double safe = s.safeRatePerSecond();
        Admission a = admission;
        if (a.kind() != Admission.Kind.FALLBACK || !reason.equals(a.reason())) {
            set(new Admission(Admission.Kind.FALLBACK, safe, Buckets.oneSecondOf(safe), null, reason));
        }
        return safe > 0 && safeBucket.tryConsume(1);
    }

    private void set(Admission next) {
        admission = next;
        s.listener().onAdmission(next);
    }
}
