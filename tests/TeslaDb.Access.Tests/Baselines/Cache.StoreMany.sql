WITH input AS (
    SELECT * FROM unnest(@account_ids, @vehicle_ids, @endpoint_names, @response_data, @ttls)
               AS i (tesla_account_id, vehicle_id, endpoint_name, response_data, ttl)
)
INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
SELECT i.tesla_account_id, i.vehicle_id, i.endpoint_name, i.response_data, now() + i.ttl
  FROM input i
 WHERE NOT EXISTS (
        SELECT 1 FROM input x
         WHERE NOT EXISTS (SELECT 1 FROM public.vehicles v WHERE v.id = x.vehicle_id AND v.tesla_account_id = x.tesla_account_id))
ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
    tesla_account_id = EXCLUDED.tesla_account_id,
    response_data = EXCLUDED.response_data,
    expires_at = EXCLUDED.expires_at,
    last_fetched_at = now();
