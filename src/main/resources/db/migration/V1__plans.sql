-- Restore plans. The current version of each plan lives in plan; every version ever stored,
-- the current one included, lives in plan_version so earlier versions stay retrievable.
CREATE TABLE plan (
    name        VARCHAR(63)  PRIMARY KEY,
    version     INTEGER      NOT NULL CHECK (version >= 1),
    spec        JSONB        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE plan_version (
    plan_name   VARCHAR(63)  NOT NULL REFERENCES plan (name) ON DELETE CASCADE,
    version     INTEGER      NOT NULL CHECK (version >= 1),
    spec        JSONB        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (plan_name, version)
);
