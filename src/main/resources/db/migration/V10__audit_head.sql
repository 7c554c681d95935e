-- The head of the audit chain, kept outside audit_event: the newest event's id and hash and the
-- number of events, updated in the same transaction as each append. The chain alone cannot tell
-- that its newest events were deleted (what is left still links up); verify compares its last
-- event with this row. One row, created here from the events already sealed; events sealed on
-- start-up (hash null until then) move it forward.
CREATE TABLE audit_head (
    singleton  BOOLEAN      PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    last_id    BIGINT,
    head_hash  CHAR(64),
    events     BIGINT       NOT NULL
);
INSERT INTO audit_head (singleton, last_id, head_hash, events)
SELECT TRUE,
       (SELECT id FROM audit_event WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1),
       (SELECT hash FROM audit_event WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1),
       (SELECT count(*) FROM audit_event WHERE hash IS NOT NULL);
