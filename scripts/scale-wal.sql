-- WAL written per cache upsert, with and without the seed's GIN index on response_data (docs/scale.md).
-- Run on a THROWAWAY migrated database (it drops idx_cache_data_gin), on a durable dev cluster:
--   TESLADB_DEV_DB_DURABLE=1 scripts/dev-db.sh start; tesladb-migrate up -c "$(scripts/dev-db.sh url)" --supabase off
--   scripts/dev-db.sh psql -q -f scripts/scale-wal.sql
\set QUIET on
INSERT INTO tesla_accounts (supabase_user_id, account_name, email) VALUES (gen_random_uuid(), 'wal', 'wal@example.com');
INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data, display_name, state)
SELECT id, 1492931500000000000 + g, '5YJ3E1EA1PF' || lpad(g::text, 6, '0'), '{}'::jsonb, 'Car', 'online'
  FROM tesla_accounts, generate_series(1, 1000) g;
-- An incompressible ~3 KB payload (a real vehicle_data section is 1–4 KB).
CREATE TEMP TABLE payload AS
SELECT (SELECT jsonb_object_agg('field_' || i, md5(random()::text) || md5(random()::text)) FROM generate_series(1, 40) i) AS p;
INSERT INTO vehicle_data_cache (vehicle_id, tesla_account_id, endpoint_name, response_data, expires_at)
SELECT v.id, v.tesla_account_id, e, p, now() + interval '1 minute'
  FROM vehicles v, payload, unnest(array['charge_state','drive_state','climate_state','vehicle_state']) e;
-- One pass = the repository's upsert of each of the 4,000 rows, one autocommit statement each.
\set pass 'SELECT format(''INSERT INTO vehicle_data_cache (vehicle_id, tesla_account_id, endpoint_name, response_data, expires_at) VALUES (%L, %L, %L, (SELECT p FROM payload), now() + interval ''''1 minute'''') ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET response_data = excluded.response_data, expires_at = excluded.expires_at, last_fetched_at = now()'', v.id, v.tesla_account_id, e) FROM vehicles v, unnest(array[''charge_state'',''drive_state'',''climate_state'',''vehicle_state'']) e'
\set QUIET off
CHECKPOINT;
SELECT pg_current_wal_lsn() AS before \gset
:pass \gexec
SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / 4000.0) AS with_gin_first_pass_after_checkpoint \gset
SELECT pg_current_wal_lsn() AS before \gset
:pass \gexec
SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / 4000.0) AS with_gin_steady \gset
DROP INDEX idx_cache_data_gin;
CHECKPOINT;
SELECT pg_current_wal_lsn() AS before \gset
:pass \gexec
SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / 4000.0) AS without_gin_first_pass_after_checkpoint \gset
SELECT pg_current_wal_lsn() AS before \gset
:pass \gexec
SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / 4000.0) AS without_gin_steady \gset
SELECT :with_gin_first_pass_after_checkpoint AS "with GIN, first pass (bytes/upsert)", :with_gin_steady AS "with GIN, steady",
       :without_gin_first_pass_after_checkpoint AS "without GIN, first pass", :without_gin_steady AS "without GIN, steady";
