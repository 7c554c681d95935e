-- Shared token buckets for exact admission (Bucket4j's PostgreSQL proxy manager and its default
-- table layout).
CREATE TABLE bucket (
    id          BIGINT  PRIMARY KEY,
    state       BYTEA,
    expires_at  BIGINT
);

-- Replicas announce themselves here; local-share admission divides each allocation by the number
-- of replicas seen recently.
CREATE TABLE replica (
    id         VARCHAR(36)  PRIMARY KEY,
    last_seen  TIMESTAMPTZ  NOT NULL
);
