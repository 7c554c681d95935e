package dev.sluice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.audit.store.AuditLog;
import dev.sluice.audit.store.AuditReview;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A text search answers from the newest events when they hold a page of matches, and from the
 * trigram index otherwise; either way, paging by cursor returns every match once, newest first.
 * (The first test's pages come from the newest events, the second's from the index.)
 */
@QuarkusTest
class AuditTextSearchIT {
    @Inject
    AuditLog log;

    @Inject
    AuditReview review;

    @Test
    void aFrequentTermIsPagedFromTheNewestEventsWithoutGapsOrRepeats() {
        String plan = "search-frequent";
        List<Long> matching = append(plan, 300, 3, "FREQ-TERM"); // every third of 300 events
        assertThat(walk(plan, "freq-term")).isEqualTo(reversed(matching));
    }

    @Test
    void aTermWithFewerMatchesThanAPageIsFoundThroughTheIndex() {
        String plan = "search-rare";
        // 3 of 120 events: the newest events cannot fill a page of 7, so the search goes to the index.
        List<Long> matching = append(plan, 120, 40, "RARE-TERM");
        assertThat(walk(plan, "rare-term")).isEqualTo(reversed(matching));
        assertThat(walk(plan, "no-such-term")).isEmpty();
    }

    /** {@code count} events of {@code plan}; every {@code every}-th (the first included) mentions {@code term}. */
    private List<Long> append(String plan, int count, int every, String term) {
        List<Long> matching = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < count; i++) {
                boolean hit = i % every == 0;
                long id = log.append(
                        Instant.now(),
                        "tester",
                        "gate-changed",
                        null,
                        plan,
                        "gate",
                        "a",
                        "b",
                        hit ? "reading " + i + " mentions " + term : "reading " + i,
                        null);
                if (hit) {
                    matching.add(id);
                }
            }
        });
        return matching;
    }

    /** Every page of a text search, newest first, 7 at a time, following the cursor. */
    private List<Long> walk(String plan, String text) {
        List<Long> ids = new ArrayList<>();
        Long after = null;
        do {
            AuditReview.Page page =
                    review.page(new AuditFilter(plan, null, null, null, null, null, text, after, true), 7);
            page.items().forEach(e -> ids.add(e.id()));
            after = page.next();
        } while (after != null);
        return ids;
    }

    private static List<Long> reversed(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
