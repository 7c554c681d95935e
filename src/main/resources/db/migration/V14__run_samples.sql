-- A compact history of each run for the console's chart: budget, admitted and wanted (requests/s),
-- written by the tick path in the transaction of the run's new state. Thinned as it is written (a
-- sample at most every max(1 s, age / 500) since the run started), so a run keeps about
-- 500 * (1 + ln(age / 500 s)) rows: with a tick a second 2,865 after a day, 3,836 after a week. Deleted with the run,
-- and by age (sluice.console.sample-retention).
CREATE TABLE run_sample (
    run_id            VARCHAR(36)      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    at                TIMESTAMPTZ      NOT NULL,
    stage             INTEGER          NOT NULL,
    budget_per_second DOUBLE PRECISION NOT NULL,
    admitted_per_second DOUBLE PRECISION NOT NULL,
    wanted_per_second DOUBLE PRECISION,
    PRIMARY KEY (run_id, at)
);
CREATE INDEX run_sample_by_age ON run_sample (at);
