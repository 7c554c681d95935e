-- The longest legitimate silence of the database under Sluice: the first 500-row batch of a streamed
-- audit export whose filter matches little (docs/reliability.md, "Drills 2 and 3": the value of
-- SLUICE_DATABASE_SOCKET_TIMEOUT). Builds audit_event as the migrations leave it, with 2,000,000
-- events, and times each export's first FETCH. Run it in a scratch database, then drop it:
--   psql -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE audit_silence"
--   psql -h 127.0.0.1 -U postgres -d audit_silence -f bench/audit-first-batch.sql
--   psql -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE audit_silence"
\timing on
CREATE TABLE audit_event (
    id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, actor VARCHAR(200) NOT NULL, action VARCHAR(64) NOT NULL,
    run_id VARCHAR(36), plan_name VARCHAR(63), subject VARCHAR(200), from_state VARCHAR(200), to_state VARCHAR(200),
    reason TEXT NOT NULL, details TEXT, prev_hash CHAR(64), hash CHAR(64));
INSERT INTO audit_event (at, actor, action, run_id, plan_name, subject, from_state, to_state, reason, details, prev_hash, hash)
SELECT now() - (g || ' seconds')::interval, 'token:ops-' || (g % 50), (ARRAY['tick','stage-advanced','paused','access-denied'])[1 + g % 4],
       md5(g::text)::uuid::text, 'plan-' || (g % 20), 'service-' || (g % 100), 'stage ' || (g % 5), 'stage ' || (g % 5 + 1),
       'gate tier-errors green for ' || (g % 30) || ' s; held ' || (g % 400) || '.0/s ' || (g % 60) || ' s, run ' || md5(g::text),
       '{"k":' || g || '}', md5(g::text) || md5((g+1)::text), md5((g+2)::text) || md5((g+3)::text)
FROM generate_series(1, 2000000) g;
CREATE INDEX audit_event_by_run ON audit_event (run_id, id);
CREATE INDEX audit_event_by_plan ON audit_event (plan_name, id);
CREATE INDEX audit_event_by_actor ON audit_event (actor, id);
CREATE INDEX audit_event_by_action ON audit_event (action, id);
CREATE INDEX audit_event_by_time ON audit_event (at, id);
ANALYZE audit_event;
SELECT pg_size_pretty(pg_total_relation_size('audit_event'));
-- the export's first batch (500 rows through a cursor), worst case: a text filter that matches nothing, no trigram index
BEGIN;
DECLARE c1 CURSOR FOR SELECT * FROM audit_event WHERE reason ILIKE '%no such words%' ESCAPE '\' ORDER BY id ASC;
FETCH 500 FROM c1;
COMMIT;
-- a filter on an indexed column that matches nothing in a plan's events
BEGIN;
DECLARE c2 CURSOR FOR SELECT * FROM audit_event WHERE plan_name = 'plan-3' AND actor = 'token:ops-7' ORDER BY id ASC;
FETCH 500 FROM c2;
COMMIT;
-- the same text filter with the trigram index (V5, where pg_trgm can be created)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX audit_event_reason_trgm ON audit_event USING gin (reason gin_trgm_ops);
BEGIN;
DECLARE c3 CURSOR FOR SELECT * FROM audit_event WHERE reason ILIKE '%no such words%' ESCAPE '\' ORDER BY id ASC;
FETCH 500 FROM c3;
COMMIT;
