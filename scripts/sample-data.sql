-- Realistic sample data for the demo database: Supabase users with one or two Tesla accounts, two or three
-- vehicles each (Tesla-shaped vehicle list items, ids beyond what a double holds exactly, valid VINs), six cached
-- endpoints per vehicle (some fresh, some expired, the static ones never expiring) and a token per account
-- (obviously fake values; one account still under the legacy per-user key).
--
--   psql -v rows=N -f scripts/sample-data.sql     N cache rows (about N/6 vehicles); default 300
--
-- It replaces whatever sample data the database holds (rows whose account name starts with 'Demo ').
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 300
\endif

BEGIN;
DELETE FROM public.tokens WHERE key LIKE 'user_token:%' AND token_data ->> 'demo' = 'true';
DELETE FROM public.tesla_accounts WHERE account_name LIKE 'Demo %';

CREATE TEMP TABLE demo_sizes AS
SELECT greatest(1, (:rows + 5) / 6) AS vehicles;

-- Accounts: one per two or three vehicles; users: one per one or two accounts.
CREATE TEMP TABLE demo_accounts AS
SELECT a AS n,
       gen_random_uuid() AS id,
       ('00000000-0000-4000-8000-' || lpad(to_hex(a / 2 + 1), 12, '0'))::uuid AS user_id
  FROM generate_series(0, (SELECT (vehicles - 1) / 2 FROM demo_sizes)) a;

INSERT INTO public.tesla_accounts (id, supabase_user_id, account_name, email, is_active)
SELECT id, user_id,
       'Demo ' || (ARRAY['principal', 'famille', 'pro', 'flotte'])[n % 4 + 1] || ' ' || n,
       CASE WHEN n % 5 = 4 THEN NULL ELSE 'owner' || (n / 2 + 1) || '@example.com' END,
       n % 11 <> 10
  FROM demo_accounts;

CREATE TEMP TABLE demo_vehicles AS
SELECT v AS n,
       a.id AS account_id,
       1492932226450100 + v::bigint * 7919 AS tesla_id,
       999823797 + v::bigint AS tesla_vehicle_id,
       (ARRAY['5YJ3E1EA', '7SAYGDEE', 'LRWYGCEK', 'XP7YGCEK', '5YJSA1E2'])[v % 5 + 1] || (v % 10)::text || 'PF' || lpad((v % 1000000)::text, 6, '0') AS vin,
       (ARRAY['online', 'asleep', 'offline', 'online', 'asleep'])[v % 5 + 1] AS state,
       (ARRAY['model3', 'modely', 'models', 'modelx'])[v % 4 + 1] AS car_type
  FROM generate_series(0, (SELECT vehicles - 1 FROM demo_sizes)) v
  JOIN demo_accounts a ON a.n = v / 2;

INSERT INTO public.vehicles (tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version, last_synced_at)
SELECT account_id, tesla_id, tesla_vehicle_id, vin,
       jsonb_build_object(
           'id', tesla_id, 'vehicle_id', tesla_vehicle_id, 'vin', vin, 'display_name', 'Tesla ' || n,
           'option_codes', 'AD15,MDL3,PBSB,RENA,BT37,ID3W,RF3G,S3PB,DRLH,DV2W,W39B,APF0,COUS,BC3B,CH07,PC30',
           'color', NULL, 'access_type', 'OWNER', 'tokens', jsonb_build_array(md5(vin)::text, md5(vin || 'x')::text),
           'state', state, 'in_service', n % 37 = 36, 'id_s', tesla_id::text, 'calendar_enabled', true,
           'api_version', (ARRAY[54, 67, 73])[n % 3 + 1],
           'vehicle_config', jsonb_build_object('car_type', car_type, 'exterior_color', (ARRAY['MidnightSilver', 'PearlWhite', 'RedMulticoat', 'DeepBlue'])[n % 4 + 1], 'wheel_type', 'Pinwheel18')),
       'Tesla ' || n, 'OWNER', state, n % 37 = 36, (ARRAY[54, 67, 73])[n % 3 + 1],
       now() - make_interval(mins => (n * 13) % 600)
  FROM demo_vehicles;

-- Six endpoints per vehicle, up to the requested number of rows.
INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at, last_fetched_at)
SELECT v.tesla_account_id, v.id, e.name,
       CASE e.name
         WHEN 'charge_state' THEN jsonb_build_object('battery_level', 20 + (k % 80), 'usable_battery_level', 19 + (k % 80), 'battery_range', round((80 + k % 250)::numeric + 0.5, 1),
              'charge_limit_soc', 80, 'charging_state', (ARRAY['Disconnected', 'Charging', 'Complete', 'Stopped'])[k % 4 + 1], 'charger_power', k % 4 = 1,
              'charge_energy_added', round((k % 40)::numeric / 3, 2), 'time_to_full_charge', round((k % 9)::numeric / 4, 2), 'charge_port_door_open', k % 4 = 1,
              'timestamp', (extract(epoch FROM now()) * 1000)::bigint)
         WHEN 'climate_state' THEN jsonb_build_object('inside_temp', 18 + (k % 9), 'outside_temp', 4 + (k % 20), 'driver_temp_setting', 21.0, 'is_climate_on', k % 3 = 0, 'fan_status', k % 7)
         WHEN 'drive_state' THEN jsonb_build_object('latitude', round((48.8 + (k % 100) / 1000.0)::numeric, 6), 'longitude', round((2.3 + (k % 100) / 1000.0)::numeric, 6), 'heading', k % 360,
              'speed', CASE WHEN k % 5 = 0 THEN (k % 130) END, 'shift_state', CASE WHEN k % 5 = 0 THEN 'D' END, 'power', CASE WHEN k % 5 = 0 THEN k % 80 ELSE 0 END)
         WHEN 'vehicle_state' THEN jsonb_build_object('odometer', round((5000 + k * 7 % 90000)::numeric + 0.3, 1), 'locked', k % 6 <> 0, 'sentry_mode', k % 4 = 0, 'car_version', '2026.44.' || (k % 20) || ' 1a2b3c4d', 'is_user_present', false)
         WHEN 'gui_settings' THEN jsonb_build_object('gui_distance_units', (ARRAY['km/hr', 'mi/hr'])[k % 2 + 1], 'gui_temperature_units', 'C', 'gui_24_hour_time', true, 'gui_range_display', 'Rated')
         ELSE jsonb_build_object('car_type', 'model3', 'trim_badging', '74d', 'exterior_color', 'MidnightSilver', 'wheel_type', 'Pinwheel18', 'can_accept_navigation_requests', true)
       END,
       CASE WHEN e.name IN ('gui_settings', 'vehicle_config') THEN NULL
            WHEN k % 3 = 0 THEN now() - make_interval(mins => 1 + k % 300)   -- expired
            ELSE now() + make_interval(mins => 1 + k % 30) END,
       now() - make_interval(mins => k % 400)
  FROM (SELECT v.*, row_number() OVER (ORDER BY v.tesla_id) AS vn FROM public.vehicles v JOIN demo_vehicles d ON d.tesla_id = v.tesla_id AND d.account_id = v.tesla_account_id) v
 CROSS JOIN LATERAL (VALUES (1, 'charge_state'), (2, 'climate_state'), (3, 'drive_state'), (4, 'vehicle_state'), (5, 'gui_settings'), (6, 'vehicle_config')) AS e(i, name)
 CROSS JOIN LATERAL (SELECT (v.vn * 6 + e.i)::int AS k) AS key
 WHERE (v.vn - 1) * 6 + e.i <= :rows;

-- A token per account (fake values, never real credentials); account 0 keeps the legacy per-user key.
INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id)
SELECT CASE WHEN a.n = 0 THEN 'user_token:' || a.user_id ELSE 'user_token:' || a.user_id || ':' || a.id END,
       jsonb_build_object('demo', true, 'access_token', 'eyJhbGciOiJSUzI1NiJ9.DEMO-ONLY-' || md5(a.id::text), 'refresh_token', 'EU_DEMO-ONLY-' || md5(a.id::text || 'r'),
                          'id_token', 'eyJ.demo', 'expires_in', 28800, 'token_type', 'Bearer'),
       now() + make_interval(mins => (a.n * 97) % 960 - 480),
       CASE WHEN a.n = 0 THEN NULL ELSE a.id END
  FROM demo_accounts a;
COMMIT;

-- Statistics now rather than when autovacuum gets round to it: until then the planner guesses, and a vehicle's
-- responses (6 rows) can be looked for by walking the whole primary key (seen: 2.5 s at 1M rows instead of 1 ms).
ANALYZE public.tesla_accounts, public.vehicles, public.vehicle_data_cache, public.tokens;

SELECT (SELECT count(*) FROM public.tesla_accounts WHERE account_name LIKE 'Demo %') AS accounts,
       (SELECT count(*) FROM public.vehicles) AS vehicles,
       (SELECT count(*) FROM public.vehicle_data_cache) AS cached_responses,
       (SELECT count(*) FROM public.vehicle_data_cache WHERE expires_at <= now()) AS expired,
       (SELECT count(*) FROM public.tokens) AS tokens;
