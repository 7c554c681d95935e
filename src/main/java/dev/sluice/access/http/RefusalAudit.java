package dev.sluice.access.http;

import dev.sluice.audit.store.AuditLog;
import dev.sluice.runtime.BackgroundWork;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * An audit event for each refused call, written off the request thread (a refusal must stay cheap,
 * and may happen on the event loop), one at a time (a flood of refusals holds at most one database
 * connection). At most {@link #AUDITED_PER_SECOND} refusals a second are written, so a flood of bad
 * calls cannot flood the audit log; the others are counted in {@code
 * sluice_access_denied_unaudited_total}. Thread-safe.
 */
@Singleton
public class RefusalAudit {
    static final int AUDITED_PER_SECOND = 20;
    private static final Logger LOG = Logger.getLogger(RefusalAudit.class);

    private final Bucket budget = Bucket.builder()
            .addLimit(limit ->
                    limit.capacity(AUDITED_PER_SECOND * 5L).refillGreedy(AUDITED_PER_SECOND, Duration.ofSeconds(1)))
            .build();

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Inject
    BackgroundWork work;

    private Executor writer;

    @PostConstruct
    void init() {
        writer = work.serial("refused-call audit");
    }

    /** Records that {@code actor}'s {@code call} (method and path) was refused with {@code status}. */
    public void refused(String actor, String call, int status) {
        refused(actor, call, status, status == 401 ? "no valid token" : "role or scope does not allow it");
    }

    /**
     * The same with the refusal's reason in words, for another door than the API (the console's forms:
     * "this form's CSRF token does not match your session"); never a secret.
     */
    public void refused(String actor, String call, int status, String why) {
        if (!budget.tryConsume(1)) {
            metrics.counter("sluice.access.denied.unaudited", "status", Integer.toString(status))
                    .increment();
            return;
        }
        writer.execute(() -> {
            try {
                QuarkusTransaction.requiringNew()
                        .run(() -> audit.append(
                                clock.instant(),
                                actor,
                                "access-denied",
                                null,
                                null,
                                call,
                                null,
                                Integer.toString(status),
                                why,
                                null));
            } catch (RuntimeException ex) {
                LOG.warnf("could not record a refused call (%s): %s", call, ex.getMessage());
            }
        });
    }
}
