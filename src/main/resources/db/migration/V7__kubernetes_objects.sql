-- Operator mode: what Sluice did for each Kubernetes object, keyed by the object's uid, so that a
-- re-reconcile, a retry or a restart never does it twice. A RestoreAction's row commits in the same
-- transaction as the action it applied (or records why it was rejected); a RestoreRun's row names
-- the run it started (or why it could not); a RestorePlan's row binds a stored plan to the one
-- object that owns it.
CREATE TABLE k8s_object (
    uid          VARCHAR(64)   PRIMARY KEY,
    kind         VARCHAR(32)   NOT NULL,
    namespace    VARCHAR(253)  NOT NULL,
    name         VARCHAR(253)  NOT NULL,
    plan_name    VARCHAR(63),
    run_id       VARCHAR(36),
    outcome      VARCHAR(16)   NOT NULL,
    message      TEXT,
    actor        VARCHAR(200),
    recorded_at  TIMESTAMPTZ   NOT NULL
);
-- One RestorePlan object per stored plan name.
CREATE UNIQUE INDEX k8s_object_plan ON k8s_object (plan_name) WHERE kind = 'RestorePlan';
CREATE INDEX k8s_object_by_name ON k8s_object (kind, namespace, name);
CREATE INDEX k8s_object_by_run ON k8s_object (run_id) WHERE run_id IS NOT NULL;

-- The key the admission webhook signs its attribution stamps with, shared by every replica.
CREATE TABLE k8s_attribution_key (
    id          INTEGER      PRIMARY KEY,
    secret      BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
