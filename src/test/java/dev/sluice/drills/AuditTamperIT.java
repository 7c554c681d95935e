package dev.sluice.drills;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.audit.AuditHash;
import dev.sluice.audit.store.AuditChain;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Drill 7: the audit log changed behind Sluice's back, directly in SQL, at random positions — an
 * event edited, deleted, two swapped, one inserted (with a correct hash, as a forger would, or a
 * wrong one), the newest ones truncated, the head row itself removed. Every change is detected and
 * located, then undone from a copy before the next. Trial {@code i} comes from seed {@code SEED +
 * i}.
 */
@QuarkusTest
class AuditTamperIT {
    static final long SEED = 7_000_000L;
    static final int TRIALS = 300;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditChain chain;

    private record Row(long id, Instant at, String actor, String reason, String prev, String hash) {}

    @Test
    void everyTamperingIsDetectedAndLocated() throws Exception {
        for (int i = 0; i < 40; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("text", "tamper drill " + i))
                    .post("/api/v1/audit/1/annotations")
                    .then()
                    .statusCode(201);
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT nextval('audit_event_id_seq')"); // a free id between events, to insert into
            }
        }
        Map<String, Integer> trials = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            assertThat(chain.verify(null, null).intact())
                    .as("the log before the drill")
                    .isTrue();
            s.execute("CREATE TEMP TABLE saved_events AS SELECT * FROM audit_event");
            s.execute("CREATE TEMP TABLE saved_head AS SELECT * FROM audit_head");
            for (long seed = SEED; seed < SEED + TRIALS; seed++) {
                SplittableRandom random = new SplittableRandom(seed);
                List<Row> rows = rows(s);
                int kind0 = random.nextInt(8);
                int k = random.nextInt(1, rows.size() - 1); // not the first, not the newest
                while ((kind0 == 3 || kind0 == 4)
                        && rows.get(k + 1).id() == rows.get(k).id() + 1) {
                    k = random.nextInt(1, rows.size() - 1); // an insert needs a free id after k
                }
                Row row = rows.get(k);
                String kind;
                long expected;
                switch (kind0) {
                    case 0 -> {
                        kind = "edit";
                        s.execute("UPDATE audit_event SET reason = 'nothing happened " + seed + "' WHERE id = "
                                + row.id());
                        expected = row.id();
                    }
                    case 1 -> {
                        kind = "delete";
                        s.execute("DELETE FROM audit_event WHERE id = " + row.id());
                        expected = rows.get(k + 1).id();
                    }
                    case 2 -> {
                        kind = "swap";
                        int other = random.nextInt(k + 1, rows.size());
                        Row later = rows.get(other);
                        s.execute("UPDATE audit_event SET id = -1 WHERE id = " + row.id());
                        s.execute("UPDATE audit_event SET id = " + row.id() + " WHERE id = " + later.id());
                        s.execute("UPDATE audit_event SET id = " + later.id() + " WHERE id = -1");
                        expected = row.id();
                    }
                    case 3 -> {
                        kind = "insert-forged";
                        // a forger who knows the hash function: the link of the event after it breaks
                        long id = row.id() + 1;
                        insert(s, id, row, "forged " + seed, row.hash(), true);
                        expected = rows.get(k + 1).id();
                    }
                    case 4 -> {
                        kind = "insert-naive";
                        long id = row.id() + 1;
                        insert(s, id, row, "naive " + seed, row.hash(), false);
                        expected = id;
                    }
                    case 5 -> {
                        kind = "truncate-tail";
                        s.execute("DELETE FROM audit_event WHERE id > " + row.id());
                        expected = rows.get(rows.size() - 1).id();
                    }
                    case 6 -> {
                        kind = "append-forged";
                        Row newest = rows.get(rows.size() - 1);
                        long id = newest.id() + 1 + random.nextInt(5);
                        insert(s, id, newest, "appended " + seed, newest.hash(), true);
                        expected = id;
                    }
                    default -> {
                        kind = "edit-newest-with-hash";
                        // rewrite the newest event and recompute its hash: only the head tells
                        Row newest = rows.get(rows.size() - 1);
                        s.execute("DELETE FROM audit_event WHERE id = " + newest.id());
                        insert(s, newest.id(), newest, "rewritten " + seed, newest.prev(), true);
                        expected = newest.id();
                    }
                }
                AuditChain.Verification verification = chain.verify(null, null);
                assertThat(verification.intact())
                        .as("seed %d: %s at %d", seed, kind, row.id())
                        .isFalse();
                assertThat(verification.firstBrokenId())
                        .as("seed %d: %s at %d: %s", seed, kind, row.id(), verification.problem())
                        .isEqualTo(expected);
                trials.merge(kind, 1, Integer::sum);
                restore(s);
                assertThat(chain.verify(null, null).intact())
                        .as("seed %d: restored", seed)
                        .isTrue();
            }
            s.execute("DELETE FROM audit_head");
            assertThat(chain.verify(null, null).problem()).contains("head record");
            restore(s);
        }
        assertThat(trials.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TRIALS);
        System.out.println("audit tampering: " + trials + ", every one detected and located");
    }

    private static List<Row> rows(Statement s) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs =
                s.executeQuery("SELECT id, at, actor, reason, prev_hash, hash FROM audit_event ORDER BY id")) {
            while (rs.next()) {
                rows.add(new Row(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)));
            }
        }
        return rows;
    }

    private static void insert(Statement s, long id, Row like, String reason, String prev, boolean correctHash)
            throws SQLException {
        String hash = correctHash
                ? AuditHash.of(
                        prev, id, like.at(), like.actor(), "annotation", null, null, null, null, null, reason, null)
                : "f".repeat(64);
        try (PreparedStatement insert = s.getConnection()
                .prepareStatement("INSERT INTO audit_event (id, at, actor, action, reason, prev_hash, hash)"
                        + " VALUES (?, ?, ?, 'annotation', ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setTimestamp(2, Timestamp.from(like.at()));
            insert.setString(3, like.actor());
            insert.setString(4, reason);
            insert.setString(5, prev);
            insert.setString(6, hash);
            insert.executeUpdate();
        }
    }

    private static void restore(Statement s) throws SQLException {
        s.execute("DELETE FROM audit_event");
        s.execute("INSERT INTO audit_event SELECT * FROM saved_events");
        s.execute("DELETE FROM audit_head");
        s.execute("INSERT INTO audit_head SELECT * FROM saved_head");
    }
}
