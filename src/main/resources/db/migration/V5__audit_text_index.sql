-- Text search in audit reasons ("q" in the review API) uses a trigram index when the database
-- allows the pg_trgm extension (trusted since PostgreSQL 13: a database owner may create it).
-- Where it cannot be created the search still works, by scanning.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX audit_event_reason_trgm ON audit_event USING gin (reason gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'no trigram index for audit text search: %', SQLERRM;
END
$$;
