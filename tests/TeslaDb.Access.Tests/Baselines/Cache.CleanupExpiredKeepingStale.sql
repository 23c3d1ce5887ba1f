WITH doomed AS (
    SELECT id FROM public.vehicle_data_cache
     WHERE expires_at IS NOT NULL AND expires_at <= now() - @keep_stale
       FOR UPDATE SKIP LOCKED
)
DELETE FROM public.vehicle_data_cache c USING doomed WHERE c.id = doomed.id;
