-- What each service's clients asked for lately, per replica: permits asked per second plus the rates
-- their leases want. The leader sums the fresh rows of a run at every tick; what exceeds a service's
-- demand is backlog, and gets stage budget the demands leave over.
CREATE TABLE service_want (
    run_id             VARCHAR(36)       NOT NULL,
    replica_id         VARCHAR(36)       NOT NULL,
    service            VARCHAR(63)       NOT NULL,
    wanted_per_second  DOUBLE PRECISION  NOT NULL,
    reported_at        TIMESTAMPTZ       NOT NULL,
    PRIMARY KEY (run_id, replica_id, service)
);
CREATE INDEX service_want_reported_at ON service_want (reported_at);
