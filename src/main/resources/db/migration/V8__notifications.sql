-- Notification subscriptions: where to deliver which events. Signing secrets are sealed (AES-GCM)
-- under a key that is not in the database; during a rotation the previous secret signs too, until
-- previous_secret_until.
CREATE TABLE notify_subscription (
    id                     VARCHAR(40)   PRIMARY KEY,
    url                    VARCHAR(2000) NOT NULL,
    events                 TEXT          NOT NULL,
    plan_name              VARCHAR(63),
    format                 VARCHAR(20)   NOT NULL,
    secret_sealed          TEXT          NOT NULL,
    previous_secret_sealed TEXT,
    previous_secret_until  TIMESTAMPTZ,
    created_at             TIMESTAMPTZ   NOT NULL,
    created_by             VARCHAR(200)  NOT NULL
);

-- The outbox: one row per notice, written in the transaction of the transition that causes it.
-- The leader fans each out into one delivery per matching subscription, then marks it fanned out.
CREATE TABLE notify_event (
    id           VARCHAR(40)  PRIMARY KEY,
    type         VARCHAR(40)  NOT NULL,
    run_id       VARCHAR(36),
    plan_name    VARCHAR(63),
    occurred_at  TIMESTAMPTZ  NOT NULL,
    notice       JSONB        NOT NULL,
    fanned_out   BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX notify_event_to_fan_out ON notify_event (occurred_at) WHERE NOT fanned_out;
CREATE INDEX notify_event_by_run ON notify_event (run_id, type, occurred_at);

-- One event to one subscription. pending: due at next_attempt_at (claimed_until fences a delivery
-- in flight, so two replicas never send it at once); delivered; dead: past its deadline.
CREATE TABLE notify_delivery (
    id               BIGSERIAL    PRIMARY KEY,
    event_id         VARCHAR(40)  NOT NULL REFERENCES notify_event (id) ON DELETE CASCADE,
    subscription_id  VARCHAR(40)  NOT NULL REFERENCES notify_subscription (id) ON DELETE CASCADE,
    status           VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ  NOT NULL,
    deadline_at      TIMESTAMPTZ  NOT NULL,
    claimed_until    TIMESTAMPTZ,
    last_error       VARCHAR(500),
    last_status      INTEGER,
    created_at       TIMESTAMPTZ  NOT NULL,
    finished_at      TIMESTAMPTZ,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX notify_delivery_due ON notify_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notify_delivery_dead ON notify_delivery (subscription_id, id) WHERE status = 'dead';
