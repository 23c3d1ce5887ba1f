INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
SELECT v.tesla_account_id, v.vehicle_id, v.endpoint_name, v.response_data, now() + v.ttl
  FROM unnest(@account_ids, @vehicle_ids, @endpoint_names, @response_data, @ttls)
       AS v (tesla_account_id, vehicle_id, endpoint_name, response_data, ttl)
ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
    tesla_account_id = EXCLUDED.tesla_account_id,
    response_data = EXCLUDED.response_data,
    expires_at = EXCLUDED.expires_at,
    last_fetched_at = now();
