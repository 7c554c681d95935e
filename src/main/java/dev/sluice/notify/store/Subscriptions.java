package dev.sluice.notify.store;

import dev.sluice.audit.store.AuditLog;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Json;
import dev.sluice.notify.EventType;
import dev.sluice.notify.Format;
import dev.sluice.notify.SecretBox;
import dev.sluice.notify.SubscriptionSpec;
import dev.sluice.notify.TargetUrl;
import dev.sluice.notify.WebhookSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Notification subscriptions. Every change is audited in its own transaction ({@code
 * notify-subscription-created}, {@code -deleted}, {@code -secret-rotated}); secrets are sealed at
 * rest ({@link SecretBox}), returned once at creation or rotation and never again.
 */
@ApplicationScoped
public class Subscriptions {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    SecretBox box;

    @Inject
    Clock clock;

    @Inject
    NotifySettings settings;

    /** A subscription as listed: never its secret. */
    public record View(
            String id,
            String url,
            List<String> events,
            String plan,
            String format,
            Instant createdAt,
            String createdBy,
            Instant previousSecretValidUntil) {
        /** As a viewer sees it: the URL {@link TargetUrl#redacted redacted}. */
        public View redacted() {
            return new View(
                    id,
                    TargetUrl.redacted(URI.create(url)),
                    events,
                    plan,
                    format,
                    createdAt,
                    createdBy,
                    previousSecretValidUntil);
        }
    }

    /** A subscription as delivery needs it: where, how, and the secrets that sign now. */
    public record Target(String id, URI url, Format format, List<String> secrets) {}

    /** The answer to a creation or rotation: the secret, this once. */
    public record WithSecret(View subscription, String secret) {}

    @Transactional
    public WithSecret create(SubscriptionSpec spec, String actor) {
        Instant now = clock.instant();
        String id = "sub_" + UUID.randomUUID().toString().replace("-", "");
        String secret = WebhookSignature.newSecret(RANDOM);
        em.createNativeQuery(
                        "INSERT INTO notify_subscription (id, url, events, plan_name, format, secret_sealed, created_at, created_by)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, id)
                .setParameter(2, spec.url().toString())
                .setParameter(3, events(spec.events()))
                .setParameter(4, spec.planName())
                .setParameter(5, spec.format().wireName())
                .setParameter(6, box.seal(id, secret))
                .setParameter(7, now)
                .setParameter(8, actor)
                .executeUpdate();
        View view = get(id);
        audit.append(
                now,
                actor,
                "notify-subscription-created",
                null,
                spec.planName(),
                id,
                null,
                TargetUrl.origin(spec.url()),
                "subscribed " + TargetUrl.origin(spec.url()) + " to " + String.join(", ", view.events()),
                Json.write(Map.of("events", view.events(), "format", view.format())));
        return new WithSecret(view, secret);
    }

    @Transactional
    public List<View> list() {
        List<View> out = new ArrayList<>();
        for (Object row :
                em.createNativeQuery(SELECT + " ORDER BY created_at, id").getResultList()) {
            out.add(view((Object[]) row));
        }
        return out;
    }

    @Transactional
    public View get(String id) {
        return find(id).orElseThrow(() -> DomainException.notFound("no subscription " + id));
    }

    @Transactional
    public Optional<View> find(String id) {
        List<?> rows = em.createNativeQuery(SELECT + " WHERE id = ?1")
                .setParameter(1, id)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(view((Object[]) rows.get(0)));
    }

    @Transactional
    public void delete(String id, String actor, String reason) {
        View view = get(id);
        em.createNativeQuery("DELETE FROM notify_subscription WHERE id = ?1")
                .setParameter(1, id)
                .executeUpdate();
        audit.append(
                clock.instant(),
                actor,
                "notify-subscription-deleted",
                null,
                view.plan(),
                id,
                TargetUrl.origin(URI.create(view.url())),
                null,
                reason,
                null);
    }

    /**
     * A new secret; the one it replaces keeps signing (a second signature in the header) for {@code
     * sluice.notify.rotation-overlap}, so receivers can switch over without missing a message.
     */
    @Transactional
    public WithSecret rotate(String id, String actor, String reason) {
        Instant now = clock.instant();
        List<?> rows = em.createNativeQuery("SELECT secret_sealed FROM notify_subscription WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            throw DomainException.notFound("no subscription " + id);
        }
        String secret = WebhookSignature.newSecret(RANDOM);
        Instant until = now.plus(settings.rotationOverlap());
        em.createNativeQuery("UPDATE notify_subscription SET previous_secret_sealed = secret_sealed,"
                        + " previous_secret_until = ?2, secret_sealed = ?3 WHERE id = ?1")
                .setParameter(1, id)
                .setParameter(2, until)
                .setParameter(3, box.seal(id, secret))
                .executeUpdate();
        View view = get(id);
        audit.append(
                now,
                actor,
                "notify-subscription-secret-rotated",
                null,
                view.plan(),
                id,
                null,
                null,
                reason,
                Json.write(Map.of("previousSecretValidUntil", until.toString())));
        return new WithSecret(view, secret);
    }

    /** Delivery's view of a subscription, with the secrets that sign at {@code now}, newest first. */
    @Transactional
    public Optional<Target> target(String id, Instant now) {
        List<?> rows = em.createNativeQuery("SELECT url, format, secret_sealed, previous_secret_sealed,"
                        + " previous_secret_until FROM notify_subscription WHERE id = ?1")
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        List<String> secrets = new ArrayList<>();
        secrets.add(box.open(id, (String) r[2]));
        Instant until = Rows.instant(r[4]);
        if (r[3] != null && until != null && now.isBefore(until)) {
            secrets.add(box.open(id, (String) r[3]));
        }
        return Optional.of(new Target(id, URI.create((String) r[0]), Format.of((String) r[1]), List.copyOf(secrets)));
    }

    private static final String SELECT = "SELECT id, url, events, plan_name, format, created_at, created_by,"
            + " previous_secret_until FROM notify_subscription";

    private View view(Object[] r) {
        Instant until = Rows.instant(r[7]);
        return new View(
                (String) r[0],
                (String) r[1],
                Arrays.asList(((String) r[2]).split(",")),
                (String) r[3],
                (String) r[4],
                Rows.instant(r[5]),
                (String) r[6],
                until != null && clock.instant().isBefore(until) ? until : null);
    }

    /** Stored in declaration order, comma-separated, as a fan-out can match with {@code position}. */
    static String events(Set<EventType> events) {
        return EnumSet.copyOf(events).stream().map(EventType::wireName).collect(Collectors.joining(","));
    }
}
