-- Runs of plans. The plan spec is copied into the run so a run never depends on a plan version
-- that may later be deleted; state is the controller's RunState as JSON, with the fields people
-- query (status, stage) kept as columns too.
CREATE TABLE run (
    id               VARCHAR(36)  PRIMARY KEY,
    plan_name        VARCHAR(63)  NOT NULL,
    plan_version     INTEGER      NOT NULL,
    spec             JSONB        NOT NULL,
    state            JSONB        NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    stage            INTEGER      NOT NULL,
    idempotency_key  VARCHAR(200),
    started_by       VARCHAR(200) NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    last_tick_at     TIMESTAMPTZ,
    lock_version     INTEGER      NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX run_idempotency_key ON run (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- At most one active run per plan.
CREATE UNIQUE INDEX run_one_active_per_plan ON run (plan_name) WHERE status IN ('running', 'paused');
CREATE INDEX run_by_plan ON run (plan_name, created_at);

-- Append-only record of every decision and action, written in the same transaction as the change
-- it records. The audit log (hash chain, queries, exports) grows from this table.
CREATE TABLE audit_event (
    id          BIGSERIAL    PRIMARY KEY,
    at          TIMESTAMPTZ  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    run_id      VARCHAR(36),
    plan_name   VARCHAR(63),
    subject     VARCHAR(200),
    from_state  VARCHAR(200),
    to_state    VARCHAR(200),
    reason      TEXT         NOT NULL,
    details     JSONB
);
CREATE INDEX audit_event_by_run ON audit_event (run_id, id);

-- Health samples pushed by systems that cannot be probed.
CREATE TABLE health_report (
    id              BIGSERIAL        PRIMARY KEY,
    plan_name       VARCHAR(63)      NOT NULL,
    source_key      VARCHAR(200)     NOT NULL,
    at              TIMESTAMPTZ      NOT NULL,
    error_ratio     DOUBLE PRECISION,
    latency_millis  DOUBLE PRECISION
);
CREATE INDEX health_report_latest ON health_report (plan_name, source_key, at DESC);
