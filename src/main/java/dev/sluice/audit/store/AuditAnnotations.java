package dev.sluice.audit.store;

import dev.sluice.audit.AuditFilter;
import dev.sluice.domain.DomainException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * A reviewer's annotation of an audit event, the same through every door (the API, the console): an
 * audit event itself ({@code annotation}, subject {@code event ID}, the text as its reason), so it is
 * append-only, attributed and chained. Stateless and thread-safe.
 */
@ApplicationScoped
public class AuditAnnotations {
    public static final int MAX_TEXT_CHARS = 4000;

    @Inject
    AuditReview review;

    @Inject
    AuditLog log;

    /**
     * Appends {@code actor}'s annotation of event {@code id} in a transaction of its own.
     *
     * @throws DomainException {@code INVALID_FIELD} at {@code /text} when blank or too long, or
     *     not-found when there is no such event
     */
    public AuditReview.ReviewedEvent annotate(long id, String actor, String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalidField("/text", "required", "say what you found");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw DomainException.invalidField("/text", "max-length", "at most " + MAX_TEXT_CHARS + " characters");
        }
        AuditReview.ReviewedEvent annotated =
                event(id).orElseThrow(() -> DomainException.notFound("no audit event " + id));
        long annotation = QuarkusTransaction.requiringNew()
                .call(() -> log.append(
                        now,
                        actor,
                        "annotation",
                        annotated.runId(),
                        annotated.planName(),
                        "event " + id,
                        null,
                        null,
                        text,
                        null));
        return event(annotation).orElseThrow();
    }

    /** The event with this id. */
    public java.util.Optional<AuditReview.ReviewedEvent> event(long id) {
        List<AuditReview.ReviewedEvent> found = review.page(
                        new AuditFilter(null, null, null, null, null, null, null, id - 1, false), 1)
                .items();
        return found.isEmpty() || found.get(0).id() != id
                ? java.util.Optional.empty()
                : java.util.Optional.of(found.get(0));
    }

    /** How many annotations (of the event's run, or of all when it has none) are looked through, newest first. */
    static final int ANNOTATIONS_SCANNED = 2_000;

    /**
     * The annotations of {@code event}, oldest first: among the newest {@link #ANNOTATIONS_SCANNED}
     * annotations of its run (an annotation carries its event's run), or of all for an event of no run.
     */
    public List<AuditReview.ReviewedEvent> of(AuditReview.ReviewedEvent event) {
        String subject = "event " + event.id();
        List<AuditReview.ReviewedEvent> found = new java.util.ArrayList<>(review
                .page(
                        new AuditFilter(null, event.runId(), null, "annotation", null, null, null, null, true),
                        ANNOTATIONS_SCANNED)
                .items()
                .stream()
                .filter(e -> subject.equals(e.subject()))
                .toList());
        java.util.Collections.reverse(found);
        return found;
    }
}
