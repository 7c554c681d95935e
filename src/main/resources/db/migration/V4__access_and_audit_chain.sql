-- API tokens: the secret is stored as a SHA-256 hash only.
CREATE TABLE api_token (
    id           VARCHAR(8)    PRIMARY KEY,
    name         VARCHAR(100)  NOT NULL UNIQUE,
    secret_hash  CHAR(64)      NOT NULL,
    roles        VARCHAR(200)  NOT NULL,
    scopes       TEXT          NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL,
    created_by   VARCHAR(200)  NOT NULL,
    revoked_at   TIMESTAMPTZ
);

-- Tamper evidence: every audit event carries the hash of its canonical content and of the event
-- before it. Events written before this migration are sealed into the chain by the application on
-- start-up (their hash is null until then).
ALTER TABLE audit_event ADD COLUMN prev_hash CHAR(64);
ALTER TABLE audit_event ADD COLUMN hash CHAR(64);
-- Details are hashed as written: keep the text verbatim (jsonb would reorder keys and reformat).
ALTER TABLE audit_event ALTER COLUMN details TYPE TEXT;

-- Review queries filter by these, newest or oldest first, with id cursors.
CREATE INDEX audit_event_by_plan ON audit_event (plan_name, id);
CREATE INDEX audit_event_by_actor ON audit_event (actor, id);
CREATE INDEX audit_event_by_action ON audit_event (action, id);
CREATE INDEX audit_event_by_time ON audit_event (at, id);
