package dev.sluice.audit.store;

import dev.sluice.audit.AuditHash;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Walks the hash chain. {@link #verify} recomputes every event's hash in id order and reports the
 * first event whose content or link does not match; it streams the rows, so memory stays flat.
 * Walking the whole log, it also compares the table with the chain's head kept outside it ({@code
 * audit_head}, moved by every append in the same transaction): events deleted from the newest end,
 * events added after the head without an append, and a rewritten newest event are found too. On
 * start-up, events written before the chain existed are sealed into it once.
 *
 * <p>What this defends against: changes made to the table directly (SQL, a restored backup of one
 * table) by someone who does not also rewrite the head row consistently. Someone who can write both
 * tables can rewrite the history and the head together; against that, keep {@code headHash} from
 * {@code verify} somewhere Sluice's database cannot reach (a ticket, another system) and compare.
 */
@ApplicationScoped
public class AuditChain {
    private static final Logger LOG = Logger.getLogger(AuditChain.class);
    private static final String COLUMNS = "id, at, actor, action, run_id, plan_name, subject, from_state, to_state,"
            + " reason, details, prev_hash, hash";

    @Inject
    AgroalDataSource dataSource;

    /**
     * @param checked events checked
     * @param firstBrokenId the first event that fails, null when the chain holds
     * @param problem what is wrong with it
     * @param headHash the hash of the last event checked: anchor it elsewhere to detect a rewrite
     */
    public record Verification(
            boolean intact, long checked, Long firstBrokenId, String problem, Long lastId, String headHash) {}

    /** The chain's head as recorded outside the table; null when its row is missing. */
    private record Head(Long lastId, String hash, long events) {}

    public Verification verify(Long fromId, Long toId) {
        try (Connection c = dataSource.getConnection()) {
            // one snapshot for the head and the walk: an append between them is not a break
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            Head head = toId == null ? head(c) : null;
            if (toId == null && head == null) {
                return broken(0, 0, "the chain's head record (audit_head) is missing", null, null, c);
            }
            String previous = null;
            long checked = 0;
            Long lastId = null;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM audit_event" + " WHERE id >= ? AND id <= ? ORDER BY id")) {
                s.setLong(1, fromId == null ? Long.MIN_VALUE : fromId);
                s.setLong(2, toId == null ? Long.MAX_VALUE : toId);
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        String prev = rs.getString("prev_hash");
                        String hash = rs.getString("hash");
                        if (head != null && (head.lastId() == null || id > head.lastId())) {
                            return broken(
                                    checked,
                                    id,
                                    "the event is newer than the chain's recorded head (id " + head.lastId()
                                            + "): it was added without being appended",
                                    lastId,
                                    previous,
                                    c);
                        }
                        if (hash == null || prev == null) {
                            return broken(checked, id, "the event is not sealed into the chain", lastId, previous, c);
                        }
                        // The first event checked is trusted for its link (a range may start mid-chain);
                        // the very first event of the log must link to the genesis hash.
                        String expectedPrev = previous != null ? previous : (fromId == null ? AuditHash.GENESIS : prev);
                        if (!prev.equals(expectedPrev)) {
                            return broken(
                                    checked,
                                    id,
                                    "its link to the previous event does not match: an event"
                                            + " before it was deleted, inserted or changed",
                                    lastId,
                                    previous,
                                    c);
                        }
                        String recomputed = AuditHash.of(
                                prev,
                                id,
                                rs.getTimestamp("at").toInstant(),
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("run_id"),
                                rs.getString("plan_name"),
                                rs.getString("subject"),
                                rs.getString("from_state"),
                                rs.getString("to_state"),
                                rs.getString("reason"),
                                rs.getString("details"));
                        if (!recomputed.equals(hash)) {
                            return broken(
                                    checked,
                                    id,
                                    "its content does not match its hash: the event was changed",
                                    lastId,
                                    previous,
                                    c);
                        }
                        previous = hash;
                        lastId = id;
                        checked++;
                    }
                }
            }
            if (head != null && head.lastId() != null && !head.lastId().equals(lastId)) {
                return broken(
                        checked,
                        head.lastId(),
                        "the newest events are missing: the chain ends at id " + lastId
                                + " but its recorded head is id " + head.lastId() + " (events after " + lastId
                                + " were deleted)",
                        lastId,
                        previous,
                        c);
            }
            if (head != null && head.lastId() != null && !head.hash().equals(previous)) {
                return broken(
                        checked,
                        lastId,
                        "the newest event does not match the chain's recorded head: it was rewritten",
                        lastId,
                        previous,
                        c);
            }
            if (head != null && fromId == null && head.events() != checked) {
                return broken(
                        checked,
                        lastId,
                        "the chain holds " + checked + " events but " + head.events() + " were appended",
                        lastId,
                        previous,
                        c);
            }
            c.commit();
            return new Verification(true, checked, null, null, lastId, previous);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log: " + e.getMessage(), e);
        }
    }

    private static Head head(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_id, head_hash, events FROM audit_head");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long lastId = rs.getLong("last_id");
            return new Head(rs.wasNull() ? null : lastId, rs.getString("head_hash"), rs.getLong("events"));
        }
    }

    private static Verification broken(long checked, long id, String problem, Long lastId, String head, Connection c)
            throws SQLException {
        c.rollback();
        return new Verification(false, checked, id, problem, lastId, head);
    }

    /** Seals events that predate the chain (hash null), oldest first, once. */
    void sealOnStart(@Observes StartupEvent event) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, AuditLog.APPEND_LOCK);
                lock.execute();
            }
            String previous = AuditHash.GENESIS;
            long sealed = 0;
            Long lastSealed = null;
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event ORDER BY id");
                    PreparedStatement update =
                            c.prepareStatement("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?")) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString("hash") != null) {
                            previous = rs.getString("hash");
                            lastSealed = null;
                            continue;
                        }
                        Instant at = rs.getTimestamp("at").toInstant();
                        String hash = AuditHash.of(
                                previous,
                                rs.getLong("id"),
                                at,
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("run_id"),
                                rs.getString("plan_name"),
                                rs.getString("subject"),
                                rs.getString("from_state"),
                                rs.getString("to_state"),
                                rs.getString("reason"),
                                rs.getString("details"));
                        update.setString(1, previous);
                        update.setString(2, hash);
                        update.setLong(3, rs.getLong("id"));
                        update.executeUpdate();
                        previous = hash;
                        sealed++;
                        lastSealed = rs.getLong("id");
                    }
                }
            }
            if (sealed > 0) {
                // only events sealed now move the head: a head that disagrees with the table stays so
                try (PreparedStatement move = c.prepareStatement(
                        lastSealed == null
                                ? "UPDATE audit_head SET events = events + ?"
                                : "UPDATE audit_head SET events = events + ?, last_id = ?, head_hash = ?")) {
                    move.setLong(1, sealed);
                    if (lastSealed != null) {
                        move.setLong(2, lastSealed);
                        move.setString(3, previous);
                    }
                    move.executeUpdate();
                }
            }
            c.commit();
            if (sealed > 0) {
                LOG.infof("sealed %d earlier audit events into the hash chain", sealed);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not seal the audit log: " + e.getMessage(), e);
        }
    }
}
