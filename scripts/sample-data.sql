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

-- The six endpoints of a vehicle_data answer, shaped like the Fleet API's (its field names, nesting and sizes, about
-- 0.3 to 2.5 KB each as text), so table sizes, TOAST use and statistics look like production. Each row starts from
-- its endpoint's full answer and overwrites the fields that vary from car to car.
CREATE TEMP TABLE demo_payloads (name text PRIMARY KEY, body jsonb NOT NULL);
INSERT INTO demo_payloads VALUES
('charge_state', '{"battery_heater_on": false, "battery_level": 64, "battery_range": 176.54, "charge_amps": 16,
  "charge_current_request": 16, "charge_current_request_max": 32, "charge_enable_request": true, "charge_energy_added": 12.41,
  "charge_limit_soc": 80, "charge_limit_soc_max": 100, "charge_limit_soc_min": 50, "charge_limit_soc_std": 90,
  "charge_miles_added_ideal": 51.5, "charge_miles_added_rated": 51.5, "charge_port_cold_weather_mode": false,
  "charge_port_color": "<invalid>", "charge_port_door_open": false, "charge_port_latch": "Engaged", "charge_rate": 0.0,
  "charger_actual_current": 0, "charger_phases": null, "charger_pilot_current": 32, "charger_power": 0, "charger_voltage": 2,
  "charging_state": "Disconnected", "conn_charge_cable": "<invalid>", "est_battery_range": 150.23,
  "fast_charger_brand": "<invalid>", "fast_charger_present": false, "fast_charger_type": "<invalid>",
  "ideal_battery_range": 176.54, "managed_charging_active": false, "managed_charging_start_time": null,
  "managed_charging_user_canceled": false, "max_range_charge_counter": 0, "minutes_to_full_charge": 0,
  "not_enough_power_to_heat": null, "off_peak_charging_enabled": false, "off_peak_charging_times": "all_week",
  "off_peak_hours_end_time": 360, "preconditioning_enabled": false, "preconditioning_times": "all_week",
  "scheduled_charging_mode": "Off", "scheduled_charging_pending": false, "scheduled_charging_start_time": null,
  "scheduled_charging_start_time_app": 0, "scheduled_charging_start_time_minutes": 0, "scheduled_departure_time": 1764651600,
  "scheduled_departure_time_minutes": 480, "supercharger_session_trip_planner": false, "time_to_full_charge": 0.0,
  "timestamp": 0, "trip_charging": false, "usable_battery_level": 63, "user_charge_enable_request": null}'),
('climate_state', '{"allow_cabin_overheat_protection": true, "auto_seat_climate_left": true, "auto_seat_climate_right": true,
  "auto_steering_wheel_heat": false, "battery_heater": false, "battery_heater_no_power": null, "bioweapon_mode": false,
  "cabin_overheat_protection": "FanOnly", "cabin_overheat_protection_actively_cooling": false, "climate_keeper_mode": "off",
  "cop_activation_temperature": "High", "defrost_mode": 0, "driver_temp_setting": 21.0, "fan_status": 0,
  "hvac_auto_request": "On", "inside_temp": 19.5, "is_auto_conditioning_on": false, "is_climate_on": false,
  "is_front_defroster_on": false, "is_preconditioning": false, "is_rear_defroster_on": false, "left_temp_direction": 0,
  "max_avail_temp": 28.0, "min_avail_temp": 15.0, "outside_temp": 9.5, "passenger_temp_setting": 21.0,
  "remote_heater_control_enabled": false, "right_temp_direction": 0, "seat_heater_left": 0, "seat_heater_rear_center": 0,
  "seat_heater_rear_left": 0, "seat_heater_rear_right": 0, "seat_heater_right": 0, "side_mirror_heaters": false,
  "steering_wheel_heat_level": 0, "steering_wheel_heater": false, "supports_fan_only_cabin_overheat_protection": true,
  "timestamp": 0, "wiper_blade_heater": false}'),
('drive_state', '{"active_route_destination": null, "active_route_energy_at_arrival": null, "active_route_latitude": null,
  "active_route_longitude": null, "active_route_miles_to_arrival": null, "active_route_minutes_to_arrival": null,
  "active_route_traffic_minutes_delay": null, "gps_as_of": 0, "heading": 0, "latitude": 48.8566, "longitude": 2.3522,
  "native_latitude": 48.8566, "native_location_supported": 1, "native_longitude": 2.3522, "native_type": "wgs",
  "power": 0, "shift_state": null, "speed": null, "timestamp": 0}'),
('vehicle_state', '{"api_version": 73, "autopark_state_v2": "unavailable", "autopark_style": "dead_man",
  "calendar_supported": true, "car_version": "2026.44.3 1a2b3c4d5e", "center_display_state": 0,
  "dashcam_clip_save_available": false, "dashcam_state": "Unavailable", "df": 0, "dr": 0, "fd_window": 0,
  "feature_bitmask": "fbdffbff,187f", "fp_window": 0, "ft": 0, "homelink_device_count": 0, "homelink_nearby": false,
  "is_user_present": false, "last_autopark_error": "no_error", "locked": true,
  "media_info": {"a2dp_source_name": "", "audio_volume": 2.3333, "audio_volume_increment": 0.333333,
    "audio_volume_max": 10.333333, "media_playback_status": "Stopped", "now_playing_album": "", "now_playing_artist": "",
    "now_playing_duration": 0, "now_playing_elapsed": 0, "now_playing_source": "Spotify", "now_playing_station": "",
    "now_playing_title": ""},
  "media_state": {"remote_control_enabled": false}, "notifications_supported": true, "odometer": 15720.4,
  "parsed_calendar_supported": true, "pf": 0, "pr": 0, "rd_window": 0, "remote_start": false,
  "remote_start_enabled": true, "remote_start_supported": true, "rp_window": 0, "rt": 0, "santa_mode": 0,
  "sentry_mode": false, "sentry_mode_available": true, "service_mode": false, "service_mode_plus": false,
  "smart_summon_available": true,
  "software_update": {"download_perc": 0, "expected_duration_sec": 2700, "install_perc": 1, "status": "", "version": " "},
  "speed_limit_mode": {"active": false, "current_limit_mph": 85.0, "max_limit_mph": 120, "min_limit_mph": 50.0,
    "pin_code_set": false},
  "summon_standby_mode_enabled": false, "timestamp": 0, "tpms_hard_warning_fl": false, "tpms_hard_warning_fr": false,
  "tpms_hard_warning_rl": false, "tpms_hard_warning_rr": false, "tpms_last_seen_pressure_time_fl": 1764600000,
  "tpms_last_seen_pressure_time_fr": 1764600000, "tpms_last_seen_pressure_time_rl": 1764600000,
  "tpms_last_seen_pressure_time_rr": 1764600000, "tpms_pressure_fl": 2.9, "tpms_pressure_fr": 2.9,
  "tpms_pressure_rl": 2.9, "tpms_pressure_rr": 2.9, "tpms_rcp_front_value": 2.9, "tpms_rcp_rear_value": 2.9,
  "tpms_soft_warning_fl": false, "tpms_soft_warning_fr": false, "tpms_soft_warning_rl": false,
  "tpms_soft_warning_rr": false, "valet_mode": false, "valet_pin_needed": true, "vehicle_name": "Tesla",
  "vehicle_self_test_progress": 0, "vehicle_self_test_requested": false, "webcam_available": true}'),
('vehicle_config', '{"aux_park_lamps": "Eu", "badge_version": 0, "can_accept_navigation_requests": true,
  "can_actuate_trunks": true, "car_special_type": "base", "car_type": "model3", "charge_port_type": "CCS",
  "cop_user_set_temp_supported": true, "dashcam_clip_save_supported": true, "default_charge_to_max": false,
  "driver_assist": "TeslaAP3", "ece_restrictions": true, "efficiency_package": "M32021", "eu_vehicle": true,
  "exterior_color": "MidnightSilver", "exterior_trim": "Black", "exterior_trim_override": "",
  "has_air_suspension": false, "has_ludicrous_mode": false, "has_seat_cooling": false, "headlamp_type": "Premium",
  "interior_trim_type": "Black2", "key_version": 2, "motorized_charge_port": true, "paint_color_override": "19,20,22,0.8,0.04",
  "performance_package": "Base", "plg": true, "pws": true, "rear_drive_unit": "PM216MOSFET", "rear_seat_heaters": 1,
  "rear_seat_type": 0, "rhd": false, "roof_color": "RoofColorGlass", "seat_type": null, "spoiler_type": "None",
  "sun_roof_installed": null, "supports_qr_pairing": false, "third_row_seats": "None", "timestamp": 0,
  "trim_badging": "74d", "use_range_badging": true, "utc_offset": 3600, "webcam_selfie_supported": true,
  "webcam_supported": true, "wheel_type": "Pinwheel18CapKit"}'),
('gui_settings', '{"gui_24_hour_time": true, "gui_charge_rate_units": "kW", "gui_distance_units": "km/hr",
  "gui_range_display": "Rated", "gui_temperature_units": "C", "gui_tirepressure_units": "Bar", "show_range_units": false,
  "timestamp": 0}');

-- Six endpoints per vehicle, up to the requested number of rows.
INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at, last_fetched_at)
SELECT v.tesla_account_id, v.id, e.name,
       p.body || jsonb_build_object('timestamp', (extract(epoch FROM now() - make_interval(mins => k % 400)) * 1000)::bigint) ||
       CASE e.name
         WHEN 'charge_state' THEN jsonb_build_object('battery_level', 20 + (k % 80), 'usable_battery_level', 19 + (k % 80),
              'battery_range', round((80 + k % 250)::numeric + 0.5, 2), 'est_battery_range', round((70 + k % 230)::numeric + 0.25, 2),
              'ideal_battery_range', round((80 + k % 250)::numeric + 0.5, 2),
              'charging_state', (ARRAY['Disconnected', 'Charging', 'Complete', 'Stopped'])[k % 4 + 1],
              'charger_power', CASE WHEN k % 4 = 1 THEN 7 + k % 5 ELSE 0 END, 'charger_voltage', CASE WHEN k % 4 = 1 THEN 230 ELSE 2 END,
              'charger_actual_current', CASE WHEN k % 4 = 1 THEN 16 ELSE 0 END, 'charge_port_door_open', k % 4 = 1,
              'conn_charge_cable', CASE WHEN k % 4 = 1 THEN 'IEC' ELSE '<invalid>' END,
              'charge_energy_added', round((k % 40)::numeric / 3, 2), 'time_to_full_charge', round((k % 9)::numeric / 4, 2),
              'minutes_to_full_charge', (k % 9) * 15)
         WHEN 'climate_state' THEN jsonb_build_object('inside_temp', 18 + (k % 9) + 0.5, 'outside_temp', 4 + (k % 20) + 0.5,
              'is_climate_on', k % 3 = 0, 'is_auto_conditioning_on', k % 3 = 0, 'fan_status', CASE WHEN k % 3 = 0 THEN k % 7 ELSE 0 END)
         WHEN 'drive_state' THEN jsonb_build_object('latitude', round((48.8 + (k % 100) / 1000.0)::numeric, 6), 'longitude', round((2.3 + (k % 100) / 1000.0)::numeric, 6),
              'native_latitude', round((48.8 + (k % 100) / 1000.0)::numeric, 6), 'native_longitude', round((2.3 + (k % 100) / 1000.0)::numeric, 6),
              'heading', k % 360, 'gps_as_of', (extract(epoch FROM now()) - k % 400 * 60)::bigint,
              'speed', CASE WHEN k % 5 = 0 THEN (k % 130) END, 'shift_state', CASE WHEN k % 5 = 0 THEN 'D' END, 'power', CASE WHEN k % 5 = 0 THEN k % 80 ELSE 0 END)
         WHEN 'vehicle_state' THEN jsonb_build_object('odometer', round((5000 + k * 7 % 90000)::numeric + 0.3, 1), 'locked', k % 6 <> 0,
              'sentry_mode', k % 4 = 0, 'car_version', '2026.44.' || (k % 20) || ' 1a2b3c4d5e', 'vehicle_name', 'Tesla ' || v.vn,
              'api_version', v.api_version)
         WHEN 'gui_settings' THEN jsonb_build_object('gui_distance_units', (ARRAY['km/hr', 'mi/hr'])[k % 2 + 1])
         ELSE jsonb_build_object('car_type', v.vehicle_data -> 'vehicle_config' -> 'car_type', 'exterior_color', v.vehicle_data -> 'vehicle_config' -> 'exterior_color')
       END,
       CASE WHEN e.name IN ('gui_settings', 'vehicle_config') THEN NULL
            WHEN k % 3 = 0 THEN now() - make_interval(mins => 1 + k % 300)   -- expired
            ELSE now() + make_interval(mins => 1 + k % 30) END,
       CASE WHEN e.name NOT IN ('gui_settings', 'vehicle_config') AND k % 3 = 0
            THEN now() - make_interval(mins => 2 + k % 300 + k % 5)   -- fetched before it expired
            ELSE now() - make_interval(mins => k % 400) END
  FROM (SELECT v.*, row_number() OVER (ORDER BY v.tesla_id) AS vn FROM public.vehicles v JOIN demo_vehicles d ON d.tesla_id = v.tesla_id AND d.account_id = v.tesla_account_id) v
 CROSS JOIN LATERAL (VALUES (1, 'charge_state'), (2, 'climate_state'), (3, 'drive_state'), (4, 'vehicle_state'), (5, 'gui_settings'), (6, 'vehicle_config')) AS e(i, name)
 JOIN demo_payloads p ON p.name = e.name
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
