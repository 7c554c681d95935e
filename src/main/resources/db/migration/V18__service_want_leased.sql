-- What each replica's lease book holds per service, reported with its wants: a restarted process
-- leaves room for the leases its predecessor granted (their clients keep them until they end),
-- and wants alone over-estimate that — they count permit asks too.
ALTER TABLE service_want ADD COLUMN leased_per_second double precision NOT NULL DEFAULT 0;
