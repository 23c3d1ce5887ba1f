SELECT set_config('lock_timeout', @lock_timeout, true);
SELECT pg_advisory_xact_lock(hashtextextended(@vehicle_id::text || '/' || @endpoint_name, 0));
